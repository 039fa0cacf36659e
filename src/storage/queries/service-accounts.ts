import type { Insertable } from 'kysely';
import type { ServiceAccountRole } from '../../shared/permissions.js';
import type { Executor } from '../database.js';
import type { UserStatus, UsersTable } from '../schema.js';

/**
 * Service accounts: `users` rows of type `service_account` with their token's metadata and their creator's name
 * (docs/product/service-accounts.md). Writes to their token are in `api-tokens.ts`; the ones they share with people
 * (status, grants, memberships) in `users.ts`, `project-access.ts`, `group-members.ts`.
 */

const serviceAccountColumns = [
  'users.id',
  'users.username',
  'users.description',
  'users.role',
  'users.status',
  'users.deactivated_at',
  'users.created_at',
  'users.created_by',
  'creator.username as created_by_name',
  'api_tokens.prefix as token_prefix',
  'api_tokens.created_at as token_created_at',
  'api_tokens.expires_at as token_expires_at',
  'api_tokens.last_used_at as token_last_used_at',
  'api_tokens.last_used_ip as token_last_used_ip',
] as const;

function serviceAccountQuery(db: Executor) {
  return db
    .selectFrom('users')
    .leftJoin('api_tokens', 'api_tokens.user_id', 'users.id')
    .leftJoin('users as creator', 'creator.id', 'users.created_by')
    .select(serviceAccountColumns)
    .where('users.type', '=', 'service_account');
}

export type ServiceAccountRow = Awaited<ReturnType<ReturnType<typeof serviceAccountQuery>['execute']>>[number];

/** One service account (any status) by id; undefined for an unknown id or a person's id. */
export function findServiceAccount(db: Executor, id: string): Promise<ServiceAccountRow | undefined> {
  return serviceAccountQuery(db).where('users.id', '=', id).executeTakeFirst();
}

/** Position after the last row of a page (active names are unique; removed ones may repeat, hence the id). */
export interface ServiceAccountKey {
  name: string;
  id: string;
}

/**
 * A page of service accounts in (name, id) order: a range of `users_type_status_username_id` (migration 0009), with an
 * optional name prefix, bounded by its LIMIT.
 */
export function pageOfServiceAccounts(
  db: Executor,
  filter: { status: UserStatus; prefix: string },
  after: ServiceAccountKey | null,
  limit: number,
): Promise<ServiceAccountRow[]> {
  let query = serviceAccountQuery(db).where('users.status', '=', filter.status);
  if (filter.prefix !== '') {
    query = query.where('users.username', '>=', filter.prefix).where('users.username', '<', `${filter.prefix}\uffff`);
  }
  if (after) query = query.where((eb) => eb(eb.refTuple('users.username', 'users.id'), '>', eb.tuple(after.name, after.id)));
  return query.orderBy('users.username').orderBy('users.id').limit(limit).execute();
}

/**
 * Inserts a service account unless an active account holds its name already (the partial unique index decides, so
 * of two parallel creations with one name exactly one row goes in). True when inserted.
 */
export async function insertServiceAccount(trx: Executor, row: Insertable<UsersTable>): Promise<boolean> {
  const inserted = await trx
    .insertInto('users')
    .values({ ...row, type: 'service_account' })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Changes a service account's name, description or role. */
export async function updateServiceAccountRow(
  trx: Executor,
  id: string,
  change: { username?: string; description?: string; role?: ServiceAccountRole },
): Promise<void> {
  await trx.updateTable('users').set(change).where('id', '=', id).where('type', '=', 'service_account').execute();
}

/**
 * Deactivates (`at`) or reactivates (null) an active service account; false when it was already in that state (two
 * parallel requests: one changes it, the other finds nothing to do).
 */
export async function setServiceAccountDeactivated(trx: Executor, id: string, at: string | null): Promise<boolean> {
  const result = await trx
    .updateTable('users')
    .set({ deactivated_at: at })
    .where('id', '=', id)
    .where('type', '=', 'service_account')
    .where('status', '=', 'active')
    .where('deactivated_at', at === null ? 'is not' : 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The active service accounts `userId` created (listed when that person is removed or demoted; nothing blocks). */
export function serviceAccountsCreatedBy(db: Executor, userId: string): Promise<Array<{ id: string; name: string }>> {
  return db
    .selectFrom('users')
    .select(['id', 'username as name'])
    .where('created_by', '=', userId)
    .where('type', '=', 'service_account')
    .where('status', '=', 'active')
    .orderBy('username')
    .execute();
}
