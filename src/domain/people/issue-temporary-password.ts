import type { Executor } from '../../storage/database.js';
import { setTemporaryPassword } from '../../storage/queries/credentials.js';
import { endUserSessions } from '../../storage/queries/sessions.js';
import { clearLockout, updateUser } from '../../storage/queries/users.js';
import { generateTemporaryPassword } from '../auth/secrets.js';
import type { OperationContext } from '../context.js';

/**
 * A temporary password (docs/product/security-settings.md#temporary-passwords) and the hash to store; hashing happens
 * before any transaction opens.
 */
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
  await setTemporaryPassword(trx, userId, hash, { at: now.toISOString(), expiresAt });
  await updateUser(trx, userId, { must_change_password: 1 });
  await clearLockout(trx, userId);
  return endUserSessions(trx, userId);
}
