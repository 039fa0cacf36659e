import type { SecondFactor } from '../../shared/api/mfa.js';
import { insertFirstPassword } from '../../storage/queries/credentials.js';
import { endUserSessions } from '../../storage/queries/sessions.js';
import { findUser } from '../../storage/queries/users.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { revokeOidcAccess } from '../oidc/revoke-oidc-access.js';
import { presentUser } from '../people/present-user.js';
import { verifyCurrentPassword } from '../profile/verify-current-password.js';
import { createSession } from '../sessions/create-session.js';
import type { ChangePasswordResult } from './change-password.js';
import { assertPasswordPolicy, normalizePassword } from './password-policy.js';

/**
 * A person created by an identity provider has no password (docs/sso.md#confirming-its-you-without-a-password). They
 * may set one with the proof every change without a password takes: a fresh login at a linked provider in this
 * session within 5 minutes (403 `reauthentication_required` otherwise), and the second factor once 2FA is on. Like any
 * password change it ends every session of theirs and what Roster's provider issued to them, and starts a new session.
 * Of two first passwords set at once, one wins; the other is refused as a wrong current password.
 */
export async function setFirstPassword(
  ctx: OperationContext,
  userId: string,
  input: { currentPassword?: string; newPassword: string; secondFactor?: SecondFactor | undefined },
): Promise<ChangePasswordResult> {
  const account = await verifyCurrentPassword(ctx, userId, input.currentPassword, 'user.password_change_failed', input.secondFactor);
  assertPasswordPolicy(input.newPassword, { minLength: ctx.config.passwordMinLength, username: account.username, email: account.email });
  const hash = await ctx.hasher.hash(normalizePassword(input.newPassword));
  const now = ctx.now().toISOString();
  return ctx.database.transact(async (trx) => {
    if (!(await insertFirstPassword(trx, userId, hash, now))) throw new DomainError('invalid_current_password');
    const sessionsEnded = await endUserSessions(trx, userId);
    const oidcRevoked = await revokeOidcAccess(trx, userId, 'password_changed');
    const session = await createSession(ctx, trx, userId, false);
    await recordAuditEvent(ctx, trx, {
      action: 'user.password_changed',
      target: { type: 'user', id: userId, name: account.username },
      details: { forced: false, firstPassword: true, sessionsEnded, oidcRevoked },
    });
    const user = await findUser(trx, userId);
    if (!user) throw new DomainError('unauthenticated');
    return { user: presentUser(user), session };
  });
}
