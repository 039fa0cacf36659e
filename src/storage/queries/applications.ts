import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Database, Executor } from '../database.js';
import { preparedRead } from '../prepared-read.js';
import type { ApplicationsTable } from '../schema.js';
import { type JsonArray, parseJsonArray } from './groups-json.js';

/**
 * Everything that reads or writes `applications`, `application_groups` and `oidc_consents` (the relying parties of
 * Roster's OpenID Connect provider, docs/product/api.md#applications). The provider's own state is in
 * `oidc-payloads.ts`.
 */

export type ApplicationRow = Selectable<ApplicationsTable>;

/** An application with the ids of the groups allowed to sign in to it (empty: see `restricted_to_groups`). */
export interface ApplicationWithGroups extends ApplicationRow {
  allowedGroupIds: string[];
}

/** An application with its creator's username now (null once the creator's row is gone). */
export type ApplicationListRow = ApplicationRow & { created_by_name: string | null };

function applicationQuery(db: Executor) {
  return db
    .selectFrom('applications')
    .leftJoin('users as creator', 'creator.id', 'applications.created_by')
    .selectAll('applications')
    .select('creator.username as created_by_name');
}

/** One application by id, with its creator's name; undefined for an unknown id. */
export function findApplicationRow(db: Executor, id: string): Promise<ApplicationListRow | undefined> {
  return applicationQuery(db).where('applications.id', '=', id).executeTakeFirst();
}

/**
 * The application a client id names, with its allowed group ids, as last committed; undefined for an unknown client
 * id. One prepared read, the group ids aggregated in it: the OpenID Connect provider asks for the application on every
 * authorization, token exchange and refresh, and again for the account it speaks for.
 */
export async function findApplicationByClientId(database: Database, clientId: string): Promise<ApplicationWithGroups | undefined> {
  const [row] = await preparedApplicationByClientId(database, { clientId });
  if (!row) return undefined;
  const { allowed_group_ids, ...application } = row;
  return { ...application, allowedGroupIds: parseJsonArray(allowed_group_ids) };
}

const preparedApplicationByClientId = preparedRead<{ clientId: string }, ApplicationRow & { allowed_group_ids: JsonArray<string> }>(
  'application_by_client_id',
  (db, param, dialect) =>
    db
      .selectFrom('applications')
      .selectAll()
      .select(
        dialect === 'postgres'
          ? sql<
              JsonArray<string>
            >`(select coalesce(json_agg(ag.group_id order by ag.group_id), '[]'::json) from application_groups ag where ag.application_id = applications.id)`.as(
              'allowed_group_ids',
            )
          : sql<
              JsonArray<string>
            >`(select json_group_array(group_id) from (select ag.group_id from application_groups ag where ag.application_id = applications.id order by ag.group_id))`.as(
              'allowed_group_ids',
            ),
      )
      .where('client_id', '=', param('clientId')),
);

/** The ids of the groups allowed to sign in to the application. */
export async function allowedGroupIdsOf(db: Executor, applicationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('application_groups')
    .select('group_id')
    .where('application_id', '=', applicationId)
    .orderBy('group_id')
    .execute();
  return rows.map((row) => row.group_id);
}

/** The allowed groups (id and name, by name) of several applications at once, keyed by application id. */
export async function allowedGroupsOfApplications(
  db: Executor,
  applicationIds: readonly string[],
): Promise<Map<string, Array<{ id: string; name: string }>>> {
  const result = new Map<string, Array<{ id: string; name: string }>>();
  if (applicationIds.length === 0) return result;
  const rows = await db
    .selectFrom('application_groups')
    .innerJoin('groups', 'groups.id', 'application_groups.group_id')
    .select(['application_groups.application_id', 'groups.id', 'groups.name'])
    .where('application_groups.application_id', 'in', applicationIds)
    .orderBy('groups.name_canonical')
    .execute();
  for (const row of rows) {
    const list = result.get(row.application_id) ?? [];
    list.push({ id: row.id, name: row.name });
    result.set(row.application_id, list);
  }
  return result;
}

/** Position after the last row of a page: names repeat, hence the id. */
export interface ApplicationKey {
  name: string;
  id: string;
}

/**
 * A page of applications in (name, id) order. There is no index on the name: an instance registers tens of
 * applications, not millions, and the LIMIT bounds what is sent.
 */
export function pageOfApplications(db: Executor, after: ApplicationKey | null, limit: number): Promise<ApplicationListRow[]> {
  let query = applicationQuery(db);
  if (after) {
    query = query.where((eb) => eb(eb.refTuple('applications.name', 'applications.id'), '>', eb.tuple(after.name, after.id)));
  }
  return query.orderBy('applications.name').orderBy('applications.id').limit(limit).execute();
}

/** The ids among `groupIds` that name existing groups. */
export async function existingGroupIds(db: Executor, groupIds: readonly string[]): Promise<Set<string>> {
  if (groupIds.length === 0) return new Set();
  const rows = await db.selectFrom('groups').select('id').where('id', 'in', groupIds).execute();
  return new Set(rows.map((row) => row.id));
}

export async function insertApplication(trx: Executor, row: Insertable<ApplicationsTable>): Promise<void> {
  await trx.insertInto('applications').values(row).execute();
}

/**
 * Takes the application's row lock for the rest of the transaction (a no-op write: on PostgreSQL a second writer of
 * the same application waits here, then sees the first one's result; SQLite writers are serialised already). False
 * when the application does not exist (any more).
 */
export async function lockApplication(trx: Executor, id: string): Promise<boolean> {
  const result = await trx
    .updateTable('applications')
    .set((eb) => ({ id: eb.ref('id') }))
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function updateApplicationRow(trx: Executor, id: string, change: Updateable<ApplicationsTable>): Promise<void> {
  await trx.updateTable('applications').set(change).where('id', '=', id).execute();
}

/** Deletes the application; its allowed groups and consents go with it (ON DELETE CASCADE). */
export async function deleteApplicationRow(trx: Executor, id: string): Promise<boolean> {
  const result = await trx.deleteFrom('applications').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Replaces the application's allowed groups with `groupIds`. */
export async function replaceApplicationGroups(trx: Executor, applicationId: string, groupIds: readonly string[]): Promise<void> {
  await trx.deleteFrom('application_groups').where('application_id', '=', applicationId).execute();
  if (groupIds.length === 0) return;
  await trx
    .insertInto('application_groups')
    .values(groupIds.map((groupId) => ({ application_id: applicationId, group_id: groupId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** The caller's consents, with the application each belongs to, by application name. */
export function consentsOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('oidc_consents')
    .innerJoin('applications', 'applications.id', 'oidc_consents.application_id')
    .select([
      'applications.id as application_id',
      'applications.name as application_name',
      'applications.client_id as client_id',
      'oidc_consents.scopes',
      'oidc_consents.created_at',
      'oidc_consents.updated_at',
    ])
    .where('oidc_consents.user_id', '=', userId)
    .orderBy('applications.name')
    .orderBy('applications.id')
    .execute();
}

/** Deletes one person's consent to one application; the deleted consent's scopes (JSON), or null when there was none. */
export async function deleteConsent(trx: Executor, userId: string, applicationId: string): Promise<string | null> {
  const row = await trx
    .deleteFrom('oidc_consents')
    .where('user_id', '=', userId)
    .where('application_id', '=', applicationId)
    .returning('scopes')
    .executeTakeFirst();
  return row?.scopes ?? null;
}

/** The scopes a person consented to for an application (undefined when never). */
export async function findOidcConsent(db: Executor, userId: string, applicationId: string): Promise<string[] | undefined> {
  const row = await db
    .selectFrom('oidc_consents')
    .select('scopes')
    .where('user_id', '=', userId)
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
  return row ? (JSON.parse(row.scopes) as string[]) : undefined;
}

/** Remembers a consent (the union with what was consented before). */
export async function saveOidcConsent(
  db: Executor,
  userId: string,
  applicationId: string,
  scopes: readonly string[],
  at: string,
): Promise<void> {
  await db
    .insertInto('oidc_consents')
    .values({ user_id: userId, application_id: applicationId, scopes: JSON.stringify(scopes), created_at: at, updated_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'application_id']).doUpdateSet({ scopes: JSON.stringify(scopes), updated_at: at }))
    .execute();
}
