import type { Insertable } from 'kysely';
import type { Executor } from '../database.js';
import type { MfaPendingLoginsTable } from '../schema.js';

/** Everything that reads or writes `mfa_pending_logins`: logins waiting for their second factor (not sessions). */

export async function insertPendingLogin(trx: Executor, row: Insertable<MfaPendingLoginsTable>): Promise<void> {
  await trx.insertInto('mfa_pending_logins').values(row).execute();
}

/**
 * Counts one code against a live pending login, in one conditional UPDATE … RETURNING: refused (undefined) once it
 * expired or took `maxAttempts` codes, so parallel codes cannot pass the limit.
 */
export function addPendingLoginAttempt(trx: Executor, digest: string, limits: { now: string; maxAttempts: number }) {
  return trx
    .updateTable('mfa_pending_logins')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id_digest', '=', digest)
    .where('expires_at', '>', limits.now)
    .where('attempts', '<', limits.maxAttempts)
    .returning(['user_id', 'credential_digest', 'attempts', 'expires_at'])
    .executeTakeFirst();
}

/** Ends a pending login; true when this call ended it (a pending login completes once). */
export async function deletePendingLogin(trx: Executor, digest: string): Promise<boolean> {
  const result = await trx.deleteFrom('mfa_pending_logins').where('id_digest', '=', digest).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Ends every pending login of an account (its factors were reset, its password changed). */
export async function deleteUserPendingLogins(trx: Executor, userId: string): Promise<number> {
  const result = await trx.deleteFrom('mfa_pending_logins').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Forgets expired pending logins (any node, at any login). */
export async function deleteExpiredPendingLogins(trx: Executor, now: string): Promise<void> {
  await trx.deleteFrom('mfa_pending_logins').where('expires_at', '<=', now).execute();
}

/** The account of a live pending login (not expired, codes left), or undefined; reads only. */
export async function findLivePendingLoginUser(db: Executor, digest: string, limits: { now: string; maxAttempts: number }) {
  const row = await db
    .selectFrom('mfa_pending_logins')
    .select('user_id')
    .where('id_digest', '=', digest)
    .where('expires_at', '>', limits.now)
    .where('attempts', '<', limits.maxAttempts)
    .executeTakeFirst();
  return row?.user_id;
}
