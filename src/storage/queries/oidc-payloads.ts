import type { Executor } from '../database.js';
import { preparedRead, preparedWrite } from '../prepared-read.js';
import type { OidcPayloadsTable } from '../schema.js';

/**
 * Everything that reads or writes `oidc_payloads`, the OpenID Connect provider library's state (migration 0013): one
 * row per code, token, grant, session or interaction, with the client and account it belongs to beside the JSON.
 * First the revocations that Roster's own operations make (removing an application, narrowing who may sign in to it,
 * a person revoking their consent, leaving a group); then what the provider's adapter reads and writes
 * (src/domain/oidc/provider-adapter.ts). The bearer lookup of its tokens is the prepared read in oidc-tokens.ts.
 */

/** Deletes every object of a client (its codes, tokens, grants, interactions); the number deleted. */
export async function deletePayloadsOfClient(trx: Executor, clientId: string): Promise<number> {
  const result = await trx.deleteFrom('oidc_payloads').where('client_id', '=', clientId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Deletes the objects of a client that belong to a person who is not a member of any of `groupIds` (an application's
 * allowed groups were narrowed). Objects without a person (client-credentials tokens: account_id NULL) stay. With no
 * groups, every person's objects go.
 */
export async function deletePayloadsOfClientExceptMembers(trx: Executor, clientId: string, groupIds: readonly string[]): Promise<number> {
  let query = trx.deleteFrom('oidc_payloads').where('client_id', '=', clientId).where('account_id', 'is not', null);
  if (groupIds.length > 0) {
    query = query.where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('group_members')
            .select('group_members.user_id')
            .whereRef('group_members.user_id', '=', 'oidc_payloads.account_id')
            .where('group_members.group_id', 'in', groupIds),
        ),
      ),
    );
  }
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes one person's objects of one client (their consent to it was revoked); the number deleted. */
export async function deletePayloadsOfUserAndClient(trx: Executor, userId: string, clientId: string): Promise<number> {
  const result = await trx
    .deleteFrom('oidc_payloads')
    .where('client_id', '=', clientId)
    .where('account_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * The provider state people lose when they leave group `groupId`: their grants, codes, tokens and provider sessions
 * for every application restricted to groups that allows this group, unless they are still in another group that
 * application allows. `leavers` is one person, or every member of the group (the group is being deleted). Runs BEFORE
 * the memberships and the group go: it finds the members and the applications through them. Returns how many rows went.
 */
export async function deleteOidcPayloadsOfGroupLeavers(
  db: Executor,
  groupId: string,
  leavers: { userId: string } | 'all members',
): Promise<number> {
  const applicationsAllowingGroup = db
    .selectFrom('applications')
    .innerJoin('application_groups', 'application_groups.application_id', 'applications.id')
    .select('applications.client_id')
    .where('applications.restricted_to_groups', '=', 1)
    .where('application_groups.group_id', '=', groupId);
  let query = db
    .deleteFrom('oidc_payloads')
    .where('oidc_payloads.client_id', 'in', applicationsAllowingGroup)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('applications')
            .innerJoin('application_groups', 'application_groups.application_id', 'applications.id')
            .innerJoin('group_members', 'group_members.group_id', 'application_groups.group_id')
            .select('group_members.user_id')
            .whereRef('applications.client_id', '=', 'oidc_payloads.client_id')
            .whereRef('group_members.user_id', '=', 'oidc_payloads.account_id')
            .where('application_groups.group_id', '<>', groupId),
        ),
      ),
    );
  query =
    leavers === 'all members'
      ? query.where('oidc_payloads.account_id', 'in', db.selectFrom('group_members').select('user_id').where('group_id', '=', groupId))
      : query.where('oidc_payloads.account_id', '=', leavers.userId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export type OidcPayloadRow = OidcPayloadsTable;

/**
 * What the provider's adapter runs on every authorization, token exchange and refresh: prepared once
 * (`storage/prepared-read.ts`), no query builder per call. Building them per call with Kysely was ~9 % of the SQLite
 * token endpoint's thread (bench/README.md#where-an-exchanges-time-goes-now).
 */

/**
 * Writes one object, replacing an earlier version of it (the library saves sessions and grants again as they change).
 * A consumed mark is never undone by a later save. Run with `Database.writePrepared`.
 */
export const upsertOidcPayload = preparedWrite<{ [K in keyof OidcPayloadRow]: OidcPayloadRow[K] }>('oidc_payload_upsert', (db, param) =>
  db
    .insertInto('oidc_payloads')
    .values({
      model: param('model'),
      id: param('id'),
      payload: param('payload'),
      grant_id: param('grant_id'),
      account_id: param('account_id'),
      client_id: param('client_id'),
      uid: param('uid'),
      roster_session: param('roster_session'),
      expires_at: param('expires_at'),
      consumed_at: param('consumed_at'),
    })
    .onConflict((oc) =>
      oc.columns(['model', 'id']).doUpdateSet((eb) => ({
        payload: eb.ref('excluded.payload'),
        grant_id: eb.ref('excluded.grant_id'),
        account_id: eb.ref('excluded.account_id'),
        client_id: eb.ref('excluded.client_id'),
        uid: eb.ref('excluded.uid'),
        roster_session: eb.ref('excluded.roster_session'),
        expires_at: eb.ref('excluded.expires_at'),
      })),
    ),
);

/**
 * Marks a code or refresh token used, only if nobody has: of two simultaneous uses exactly one changes the row (one
 * row changed); the other learns that it came second (none). Run with `Database.writePrepared`.
 */
export const consumeOidcPayload = preparedWrite<{ model: string; id: string; at: string }>('oidc_payload_consume', (db, param) =>
  db
    .updateTable('oidc_payloads')
    .set({ consumed_at: param('at') })
    .where('model', '=', param('model'))
    .where('id', '=', param('id'))
    .where('consumed_at', 'is', null),
);

/** One object by model and id digest, as last committed. */
export const findOidcPayload = preparedRead<{ model: string; id: string }, OidcPayloadRow>('oidc_payload', (db, param) =>
  db.selectFrom('oidc_payloads').selectAll().where('model', '=', param('model')).where('id', '=', param('id')),
);

/** One object by model and uid (the library finds sessions and interactions so), as last committed. */
export const findOidcPayloadByUid = preparedRead<{ model: string; uid: string }, OidcPayloadRow>('oidc_payload_by_uid', (db, param) =>
  db.selectFrom('oidc_payloads').selectAll().where('model', '=', param('model')).where('uid', '=', param('uid')),
);

export async function deleteOidcPayload(db: Executor, model: string, id: string): Promise<void> {
  await db.deleteFrom('oidc_payloads').where('model', '=', model).where('id', '=', id).execute();
}

/** Revokes a grant: the grant and every code and token issued under it (or only those of one model). */
export async function deleteOidcPayloadsOfGrant(db: Executor, grantId: string, model?: string): Promise<number> {
  let query = db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId);
  if (model !== undefined) query = query.where('model', '=', model);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Everything the provider holds for a person: provider sessions, grants, codes and tokens for every application. What
 * removal, a password or 2FA reset, ending their sessions and an email change do (docs/oidc.md#lifecycle).
 */
export async function deleteOidcPayloadsOfAccount(db: Executor, accountId: string): Promise<number> {
  const result = await db.deleteFrom('oidc_payloads').where('account_id', '=', accountId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The provider sessions opened in one Roster console session (logging out of Roster ends them). */
export async function deleteOidcSessionsOfRosterSession(db: Executor, rosterSessionDigest: string): Promise<number> {
  const result = await db.deleteFrom('oidc_payloads').where('roster_session', '=', rosterSessionDigest).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Objects whose time is up (the library ignores them anyway; this keeps the table small). */
export async function deleteExpiredOidcPayloads(db: Executor, now: string): Promise<number> {
  const result = await db.deleteFrom('oidc_payloads').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
