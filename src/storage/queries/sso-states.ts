import type { Insertable } from 'kysely';
import type { Executor } from '../database.js';
import type { SsoStatesTable } from '../schema.js';

/** Everything that reads or writes `sso_states`: authorization requests sent to an identity provider (migration 0015). */

export async function insertSsoState(trx: Executor, row: Insertable<SsoStatesTable>): Promise<void> {
  await trx.insertInto('sso_states').values(row).execute();
}

/**
 * Takes the live state of a handle's digest for the provider, exactly once: one DELETE … RETURNING, so of two callbacks
 * with the same state at most one gets the row. Undefined when it never existed, was used, or expired.
 */
export function consumeSsoState(trx: Executor, digest: string, providerId: string, now: string) {
  return trx
    .deleteFrom('sso_states')
    .where('id_digest', '=', digest)
    .where('identity_provider_id', '=', providerId)
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
}

/** Forgets expired states (at every start, on any node). */
export async function deleteExpiredSsoStates(trx: Executor, now: string): Promise<void> {
  await trx.deleteFrom('sso_states').where('expires_at', '<=', now).execute();
}
