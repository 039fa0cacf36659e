import type { Executor } from '../database.js';

/** Everything that reads or writes `mfa_recovery_codes` (single-use codes stored as HMACs). */

/** The account's unused codes (at most ten): id and stored MAC. */
export function unusedRecoveryCodes(db: Executor, userId: string) {
  return db
    .selectFrom('mfa_recovery_codes')
    .select(['id', 'code_mac'])
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}

export async function countUnusedRecoveryCodes(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('mfa_recovery_codes')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Replaces the account's whole set (used codes included) with `macs`. */
export async function replaceRecoveryCodes(
  trx: Executor,
  userId: string,
  rows: ReadonlyArray<{ id: string; mac: string }>,
  at: string,
): Promise<void> {
  await trx.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
  if (rows.length === 0) return;
  await trx
    .insertInto('mfa_recovery_codes')
    .values(rows.map((row) => ({ id: row.id, user_id: userId, code_mac: row.mac, used_at: null, created_at: at })))
    .execute();
}

/** Marks one code used unless another request used it first; true when this call did (exactly one can). */
export async function spendRecoveryCode(trx: Executor, id: string, at: string): Promise<boolean> {
  const result = await trx
    .updateTable('mfa_recovery_codes')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteRecoveryCodes(trx: Executor, userId: string): Promise<number> {
  const result = await trx.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
