import type { Executor } from '../../storage/database.js';
import { generateTemporaryPassword } from '../auth/secrets.js';
import type { OperationContext } from '../context.js';

/** A temporary password (SPEC §5.2) and the hash to store; hashing happens before any transaction opens. */
export async function prepareTemporaryPassword(ctx: OperationContext): Promise<{ plaintext: string; hash: string }> {
  const plaintext = generateTemporaryPassword();
  return { plaintext, hash: await ctx.hasher.hashTemporary(plaintext) };
}

/**
 * Stores a temporary password for `userId`: it must be changed at next login, expires, and is single-use. Ends every
 * session of the user. The caller writes the audit event.
 */
export async function storeTemporaryPassword(ctx: OperationContext, trx: Executor, userId: string, hash: string): Promise<number> {
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + ctx.config.temporaryPasswordHours * 3_600_000).toISOString();
  const values = { password_hash: hash, is_temporary: 1 as const, expires_at: expiresAt, used_at: null, updated_at: now.toISOString() };
  const updated = await trx.updateTable('credentials').set(values).where('user_id', '=', userId).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0)
    await trx
      .insertInto('credentials')
      .values({ user_id: userId, ...values })
      .execute();
  await trx
    .updateTable('users')
    .set({ must_change_password: 1, failed_login_count: 0, locked_until: null, last_failed_login_at: null })
    .where('id', '=', userId)
    .execute();
  const ended = await trx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(ended.numDeletedRows);
}
