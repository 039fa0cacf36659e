import type { SecondFactor } from '../../shared/api/mfa.js';
import { findActiveUserWithOptionalCredential } from '../../storage/queries/credentials.js';
import { recordAuditFailure } from '../audit/record-audit-event.js';
import { maxPasswordLength, normalizePassword } from '../auth/password-policy.js';
import type { OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { proveSecondFactor } from '../mfa/prove-second-factor.js';
import { reauthenticatedUntil } from '../sso/reauthenticate.js';

export interface AccountForChange {
  id: string;
  username: string;
  email: string;
  mfaEnabled: boolean;
}

/**
 * Loads the caller's active account and checks the current password sent with a sensitive change
 * (docs/product/security-settings.md#api-tokens). A missing, over-long or wrong password is refused alike with 403
 * `invalid_current_password` and audited as a failed `attemptedAction`; an over-long one is never hashed. Once the
 * account has 2FA, the second factor is required too (docs/product/security-settings.md#two-factor-authentication):
 * 403 `mfa_required` without it, 400 `invalid_second_factor` when wrong.
 */
export async function verifyCurrentPassword(
  ctx: OperationContext,
  userId: string,
  currentPassword: string | undefined,
  attemptedAction: string,
  secondFactor?: SecondFactor,
): Promise<AccountForChange> {
  const user = await findActiveUserWithOptionalCredential(ctx.database.db, userId);
  if (!user) throw new DomainError('unauthenticated');
  const account = { id: user.id, username: user.username, email: user.email, mfaEnabled: user.mfa_enabled === 1 };
  if (user.password_hash === null && !currentPassword) {
    if (!(await reauthenticatedUntil(ctx, user.id))) {
      await recordAuditFailure(ctx, {
        action: attemptedAction,
        target: { type: 'user', id: user.id, name: user.username },
        details: { reason: 'reauthentication_required' },
      });
      throw new DomainError('reauthentication_required');
    }
    await proveSecondFactor(ctx, account, secondFactor, attemptedAction);
    return account;
  }
  const password = normalizePassword(currentPassword ?? '');
  const usable = password.length > 0 && [...password].length <= maxPasswordLength;
  // Always one verification, so a missing password costs the same time as a wrong one.
  const ok = await ctx.hasher.verify(usable ? user.password_hash : null, usable ? password : '');
  if (!ok || !usable) {
    await recordAuditFailure(ctx, {
      action: attemptedAction,
      target: { type: 'user', id: user.id, name: user.username },
      details: { reason: currentPassword ? 'invalid_current_password' : 'missing_current_password' },
    });
    throw new DomainError('invalid_current_password');
  }
  await proveSecondFactor(ctx, account, secondFactor, attemptedAction);
  return account;
}
