import type { Executor } from '../database.js';
import type { OidcKeysTable } from '../schema.js';

/**
 * Everything that reads or writes `oidc_keys`: the OpenID Connect provider's signing and cookie keys, values of the
 * secret store (src/domain/oidc/provider-keys.ts, docs/decisions/0024-openid-connect-provider.md).
 */

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
