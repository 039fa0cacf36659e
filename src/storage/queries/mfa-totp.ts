import type { Executor } from '../database.js';

/** Everything that reads or writes `mfa_totp`: one authenticator app per account (docs/product/security-settings.md#two-factor-authentication). */

export function findTotp(db: Executor, userId: string) {
  return db.selectFrom('mfa_totp').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** Starts (or restarts) an unconfirmed setup with a new encrypted seed; never replaces a confirmed one (false then). */
export async function upsertUnconfirmedTotp(trx: Executor, row: { userId: string; secret: string; at: string }): Promise<boolean> {
  const replaced = await trx
    .updateTable('mfa_totp')
    .set({ secret: row.secret, created_at: row.at, last_used_step: null })
    .where('user_id', '=', row.userId)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  if (Number(replaced.numUpdatedRows) === 1) return true;
  const inserted = await trx
    .insertInto('mfa_totp')
    .values({ user_id: row.userId, secret: row.secret, confirmed_at: null, last_used_step: null, created_at: row.at })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * Accepts the code of `step`: advances the last used step only if `step` is newer, in one conditional UPDATE, so of
 * several requests with the same code exactly one changes a row. `confirm` also confirms an unconfirmed setup (and only
 * then); otherwise only a confirmed app counts. True when this call accepted it.
 */
export async function acceptTotpStep(trx: Executor, userId: string, step: number, confirm: { at: string } | null): Promise<boolean> {
  let update = trx
    .updateTable('mfa_totp')
    .set(confirm ? { last_used_step: step, confirmed_at: confirm.at } : { last_used_step: step })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]));
  update = confirm ? update.where('confirmed_at', 'is', null) : update.where('confirmed_at', 'is not', null);
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Removes the account's app (confirmed or not); true when there was one. */
export async function deleteTotp(trx: Executor, userId: string, options: { confirmedOnly?: boolean } = {}): Promise<boolean> {
  let query = trx.deleteFrom('mfa_totp').where('user_id', '=', userId);
  if (options.confirmedOnly) query = query.where('confirmed_at', 'is not', null);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
