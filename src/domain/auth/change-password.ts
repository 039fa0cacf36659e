import type { SecondFactor } from '../../shared/api/mfa.js';
import { findActiveUserWithCredential, setPermanentPassword } from '../../storage/queries/credentials.js';
import { endUserSessions } from '../../storage/queries/sessions.js';
import { spendForcedPasswordChange, updateUser } from '../../storage/queries/users.js';
import { recordAuditEvent, recordAuditFailure } from '../audit/record-audit-event.js';
import { callerPerson, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { proveSecondFactor } from '../mfa/prove-second-factor.js';
import { revokeOidcAccess } from '../oidc/revoke-oidc-access.js';
import { presentUser, type UserView } from '../people/present-user.js';
import { createSession, type NewSession } from '../sessions/create-session.js';
import { assertPasswordPolicy, normalizePassword } from './password-policy.js';
import { assertDiffersFromStored, proveCurrentPassword } from './restricted-password-change.js';
import { setFirstPassword } from './set-first-password.js';

export interface ChangePasswordResult {
  user: UserView;
  /**
   * A fresh session replacing every old one of this user (new id on password change,
   * docs/product/security-settings.md#sessions-and-browser-security).
   */
  session: NewSession;
}

/**
 * Voluntary and forced password change (docs/product/console.md#first-login-and-forced-password-change). Needs the
 * current password (a restricted session may omit it, see restricted-password-change.ts); the new one must pass the
 * policy and differ from it. Every existing session of the user ends and a new one starts; what the OpenID Connect
 * provider issued to them is revoked; the API token is kept.
 */
export async function changePassword(
  ctx: OperationContext,
  input: { currentPassword?: string; newPassword: string; secondFactor?: SecondFactor | undefined },
  options: { restrictedSession?: boolean } = {},
): Promise<ChangePasswordResult> {
  const userId = callerPerson(ctx).userId;
  const user = await findActiveUserWithCredential(ctx.database.db, { kind: 'id', value: userId });
  // No password yet (created by an identity provider), or no active account: setFirstPassword tells which.
  if (!user) return setFirstPassword(ctx, userId, input);
  const account = { passwordHash: user.password_hash, mustChangePassword: user.must_change_password === 1 };
  const { ok: currentOk, current } = await proveCurrentPassword(ctx, account, input.currentPassword, options.restrictedSession === true);
  const target = { type: 'user' as const, id: user.id, name: user.username };
  if (!currentOk) {
    await recordAuditFailure(ctx, { action: 'user.password_change_failed', target, details: { reason: 'invalid_current_password' } });
    throw new DomainError('invalid_current_password');
  }
  assertPasswordPolicy(input.newPassword, {
    minLength: ctx.config.passwordMinLength,
    username: user.username,
    email: user.email,
    previous: current,
  });
  if (current === undefined) await assertDiffersFromStored(ctx, user.password_hash, input.newPassword);
  // With the current password typed, 2FA is asked too; a restricted session that left it out proved both at login
  // (docs/product/security-settings.md#two-factor-authentication).
  if (current !== undefined) {
    await proveSecondFactor(
      ctx,
      { id: user.id, username: user.username, mfaEnabled: user.mfa_enabled === 1 },
      input.secondFactor,
      'user.password_change_failed',
    );
  }
  const hash = await ctx.hasher.hash(normalizePassword(input.newPassword));
  const now = ctx.now().toISOString();
  const wasForced = user.must_change_password === 1;
  return ctx.database.transact(async (trx) => {
    // Without the current password the proof was "must change it", which the first change spends: of several changes
    // arriving at once only one gets through (docs/product/security-settings.md#temporary-passwords).
    if (current === undefined) {
      if (!(await spendForcedPasswordChange(trx, user.id))) throw new DomainError('invalid_current_password');
    } else {
      await updateUser(trx, user.id, { must_change_password: 0 });
    }
    await setPermanentPassword(trx, user.id, hash, now);
    const sessionsEnded = await endUserSessions(trx, user.id);
    const oidcRevoked = await revokeOidcAccess(trx, user.id, 'password_changed');
    const session = await createSession(ctx, trx, user.id, false);
    await recordAuditEvent(ctx, trx, {
      action: 'user.password_changed',
      target,
      details: { forced: wasForced, sessionsEnded, oidcRevoked },
    });
    return { user: presentUser({ ...user, must_change_password: 0 }), session };
  });
}
