import type { Executor } from '../database.js';
import type { OidcKeysTable, OidcPayloadsTable } from '../schema.js';

/**
 * Everything that reads or writes `oidc_payloads` (the OpenID Connect provider library's objects: interactions,
 * sessions, codes, tokens, grants; keyed by the SHA-256 of their id) and `oidc_keys` (signing and cookie keys,
 * encrypted), docs/decisions/0024-openid-connect-provider.md.
 */

export type OidcPayloadRow = OidcPayloadsTable;

/**
 * Writes one object, replacing an earlier version of it (the library saves sessions and grants again as they change).
 * A consumed mark is never undone by a later save.
 */
export async function upsertOidcPayload(db: Executor, row: OidcPayloadRow): Promise<void> {
  await db
    .insertInto('oidc_payloads')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['model', 'id']).doUpdateSet({
        payload: row.payload,
        grant_id: row.grant_id,
        account_id: row.account_id,
        client_id: row.client_id,
        uid: row.uid,
        roster_session: row.roster_session,
        expires_at: row.expires_at,
      }),
    )
    .execute();
}

export function findOidcPayload(db: Executor, model: string, id: string): Promise<OidcPayloadRow | undefined> {
  return db.selectFrom('oidc_payloads').selectAll().where('model', '=', model).where('id', '=', id).executeTakeFirst();
}

export function findOidcPayloadByUid(db: Executor, model: string, uid: string): Promise<OidcPayloadRow | undefined> {
  return db.selectFrom('oidc_payloads').selectAll().where('model', '=', model).where('uid', '=', uid).executeTakeFirst();
}

/**
 * Marks a code or refresh token used, only if nobody has: of two simultaneous uses exactly one changes the row
 * (true); the other learns that it came second (false).
 */
export async function consumeOidcPayload(db: Executor, model: string, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('oidc_payloads')
    .set({ consumed_at: at })
    .where('model', '=', model)
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

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

export type OidcKeyRow = OidcKeysTable;

/** Keys of one use, newest first, including retired ones (the caller decides how long a retired key is still shown). */
export function oidcKeys(db: Executor, use: OidcKeyRow['use']): Promise<OidcKeyRow[]> {
  return db.selectFrom('oidc_keys').selectAll().where('use', '=', use).orderBy('created_at', 'desc').orderBy('id').execute();
}

export async function insertOidcKeys(db: Executor, rows: readonly OidcKeyRow[]): Promise<void> {
  if (rows.length > 0)
    await db
      .insertInto('oidc_keys')
      .values([...rows])
      .execute();
}

/** Retires the current keys of one use (they stay readable for verification until dropped). */
export async function retireOidcKeys(db: Executor, use: OidcKeyRow['use'], at: string): Promise<void> {
  await db.updateTable('oidc_keys').set({ retired_at: at }).where('use', '=', use).where('retired_at', 'is', null).execute();
}

/** Drops keys retired before `before`: no token they signed is still valid. */
export async function deleteOidcKeysRetiredBefore(db: Executor, before: string): Promise<void> {
  await db.deleteFrom('oidc_keys').where('retired_at', '<', before).execute();
}

/** A cheap fingerprint of the key set: when it changes, a node rebuilds its provider (no restart after a rotation). */
export async function oidcKeyVersion(db: Executor): Promise<string> {
  const row = await db
    .selectFrom('oidc_keys')
    .select((eb) => [
      eb.fn.countAll<string | number>().as('count'),
      eb.fn.max('created_at').as('newest'),
      eb.fn.max('retired_at').as('retired'),
    ])
    .executeTakeFirstOrThrow();
  return `${row.count}:${row.newest ?? ''}:${row.retired ?? ''}`;
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
