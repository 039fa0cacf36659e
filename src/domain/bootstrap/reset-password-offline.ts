import { deleteIdentitiesOfUser } from '../../storage/queries/user-identities.js';
import { clearLockout, findActiveUser } from '../../storage/queries/users.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { removeAllFactors } from '../mfa/remove-all-factors.js';
import { revokeOidcAccess } from '../oidc/revoke-oidc-access.js';
import { loginKey } from '../people/identity.js';
import { prepareTemporaryPassword, storeTemporaryPassword } from '../people/issue-temporary-password.js';

/** `roster admin reset-password <user>`: a new temporary password for anyone, from the server's own shell. */
export async function resetPasswordOffline(ctx: OperationContext, login: string): Promise<{ username: string; temporaryPassword: string }> {
  const user = await findActiveUser(ctx.database.db, loginKey(login));
  // A service account has no password to reset (docs/product/service-accounts.md).
  if (user?.type !== 'person') throw new DomainError('not_found', `No active person is called ${JSON.stringify(login)}.`);
  const password = await prepareTemporaryPassword(ctx);
  await ctx.database.transact(async (trx) => {
    const sessionsEnded = await storeTemporaryPassword(ctx, trx, user.id, password.hash);
    const oidcRevoked = await revokeOidcAccess(trx, user.id, 'password_reset');
    // SPEC §12.2: an administrator's password reset removes the person's links to identity providers.
    const identitiesUnlinked = await deleteIdentitiesOfUser(trx, user.id);
    await recordAuditEvent(ctx, trx, {
      action: 'user.password_reset',
      target: { type: 'user', id: user.id, name: user.username },
      details: { sessionsEnded, oidcRevoked, identitiesUnlinked },
    });
  });
  return { username: user.username, temporaryPassword: password.plaintext };
}

/** `roster admin unlock <user>`: clears the login lock of an account. */
export async function unlockOffline(ctx: OperationContext, login: string): Promise<{ username: string }> {
  const user = await findActiveUser(ctx.database.db, loginKey(login));
  if (!user) throw new DomainError('not_found', `No active account is called ${JSON.stringify(login)}.`);
  await ctx.database.transact(async (trx) => {
    await clearLockout(trx, user.id);
    await recordAuditEvent(ctx, trx, { action: 'user.unlocked', target: { type: 'user', id: user.id, name: user.username } });
  });
  return { username: user.username };
}

/**
 * `roster admin reset-2fa <user>` (docs/product/security-settings.md#two-factor-authentication): removes every second
 * factor of an account and ends its sessions, from the server's own shell — the way back in for an Owner who lost
 * their phone and their recovery codes.
 */
export async function resetMfaOffline(
  ctx: OperationContext,
  login: string,
): Promise<{ username: string; factorsRemoved: number; sessionsEnded: number }> {
  const user = await findActiveUser(ctx.database.db, loginKey(login));
  if (!user) throw new DomainError('not_found', `No active account is called ${JSON.stringify(login)}.`);
  const result = await ctx.database.transact((trx) => removeAllFactors(ctx, trx, user));
  return { username: user.username, ...result };
}
