import type { Executor } from '../../storage/database.js';
import { deleteUserPendingLogins } from '../../storage/queries/mfa-pending-logins.js';
import { endUserSessions } from '../../storage/queries/sessions.js';
import { deleteIdentitiesOfUser } from '../../storage/queries/user-identities.js';
import { recordMfaReset } from '../../storage/queries/users.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { OperationContext } from '../context.js';
import { revokeOidcAccess } from '../oidc/revoke-oidc-access.js';
import { secondFactorKinds } from './factor-kinds.js';

/**
 * An administrator's (or `roster admin reset-2fa`'s) reset of one account's second factors
 * (docs/product/security-settings.md#two-factor-authentication), inside the caller's transaction, after the caller
 * checked who may: every factor of every kind goes (authenticator app, recovery codes, security keys and passkeys),
 * pending logins, every session and every grant and token of the OpenID Connect provider end, 2FA is off, and the grace
 * period starts again now. One `mfa.reset` event.
 */
export async function removeAllFactors(
  ctx: OperationContext,
  trx: Executor,
  account: { id: string; username: string },
  details: Record<string, unknown> = {},
): Promise<{ factorsRemoved: number; sessionsEnded: number }> {
  let factorsRemoved = 0;
  for (const kind of secondFactorKinds) factorsRemoved += await kind.removeAll(trx, account.id);
  await deleteUserPendingLogins(trx, account.id);
  await recordMfaReset(trx, account.id, ctx.now().toISOString());
  const sessionsEnded = await endUserSessions(trx, account.id);
  const oidcRevoked = await revokeOidcAccess(trx, account.id, 'mfa_reset');
  // SPEC §12.2: a 2FA reset by an administrator removes the person's links to identity providers (docs/sso.md).
  const identitiesUnlinked = await deleteIdentitiesOfUser(trx, account.id);
  await recordAuditEvent(ctx, trx, {
    action: 'mfa.reset',
    target: { type: 'user', id: account.id, name: account.username },
    details: { factorsRemoved, sessionsEnded, oidcRevoked, identitiesUnlinked, ...details },
  });
  return { factorsRemoved, sessionsEnded };
}
