import type { SecondFactor } from '../../shared/api/mfa.js';
import type { OperationContext } from '../context.js';
import { type AccountForChange, verifyCurrentPassword } from '../profile/verify-current-password.js';

/** What a change to one's own factors carries: the current password and, once 2FA is on, a second factor. */
export interface ChangeProof {
  currentPassword?: string | undefined;
  secondFactor?: SecondFactor | undefined;
}

/**
 * Checks the proof a change to one's own security keys needs (docs/product/security-settings.md#two-factor-authentication):
 * the current password, then the second factor when 2FA is on (403 `mfa_required` without it, 400
 * `invalid_second_factor` when wrong; counted against the login limits).
 */
export function confirmSensitiveChange(
  ctx: OperationContext,
  userId: string,
  proof: ChangeProof,
  attemptedAction: string,
): Promise<AccountForChange> {
  return verifyCurrentPassword(ctx, userId, proof.currentPassword, attemptedAction, proof.secondFactor);
}
