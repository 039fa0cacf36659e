import type { Assertion } from '../../shared/api/webauthn.js';
import type { OperationContext } from '../context.js';
import { type AccountForChange, verifyCurrentPassword } from '../profile/verify-current-password.js';

/** What a change to one's own factors carries: the current password and, once 2FA is on, a second factor. */
export interface ChangeProof {
  currentPassword?: string | undefined;
  secondFactor?: { code: string } | { webauthn: Assertion } | undefined;
}

/**
 * Checks the proof a change to one's own security keys needs (docs/product/security-settings.md#two-factor-authentication):
 * the current password, then the second factor when 2FA is on.
 */
export async function confirmSensitiveChange(
  ctx: OperationContext,
  userId: string,
  proof: ChangeProof,
  attemptedAction: string,
): Promise<AccountForChange> {
  return verifyCurrentPassword(ctx, userId, proof.currentPassword, attemptedAction);
}
