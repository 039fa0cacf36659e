import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { loginKey } from '../people/identity.js';
import { prepareTemporaryPassword, storeTemporaryPassword } from '../people/issue-temporary-password.js';

/** `roster admin reset-password <user>`: a new temporary password for anyone, from the server's own shell. */
export async function resetPasswordOffline(ctx: OperationContext, login: string): Promise<{ username: string; temporaryPassword: string }> {
  const key = loginKey(login);
  const user = await ctx.database.db
    .selectFrom('users')
    .select(['id', 'username'])
    .where(key.kind === 'email' ? 'email_canonical' : 'username', '=', key.value)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!user) throw new DomainError('not_found', `No active account is called ${JSON.stringify(login)}.`);
  const password = await prepareTemporaryPassword(ctx);
  await ctx.database.transact(async (trx) => {
    const sessionsEnded = await storeTemporaryPassword(ctx, trx, user.id, password.hash);
    await recordAuditEvent(ctx, trx, {
      action: 'user.password_reset',
      target: { type: 'user', id: user.id, name: user.username },
      details: { sessionsEnded },
    });
  });
  return { username: user.username, temporaryPassword: password.plaintext };
}

/** `roster admin unlock <user>`: clears the login lock of an account. */
export async function unlockOffline(ctx: OperationContext, login: string): Promise<{ username: string }> {
  const key = loginKey(login);
  const user = await ctx.database.db
    .selectFrom('users')
    .select(['id', 'username'])
    .where(key.kind === 'email' ? 'email_canonical' : 'username', '=', key.value)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!user) throw new DomainError('not_found', `No active account is called ${JSON.stringify(login)}.`);
  await ctx.database.transact(async (trx) => {
    await trx
      .updateTable('users')
      .set({ failed_login_count: 0, locked_until: null, last_failed_login_at: null })
      .where('id', '=', user.id)
      .execute();
    await recordAuditEvent(ctx, trx, { action: 'user.unlocked', target: { type: 'user', id: user.id, name: user.username } });
  });
  return { username: user.username };
}
