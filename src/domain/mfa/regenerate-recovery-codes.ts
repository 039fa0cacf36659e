import type { MfaChangeBody, RecoveryCodesResponse } from '../../shared/api/mfa.js';
import { replaceRecoveryCodes } from '../../storage/queries/mfa-recovery-codes.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { verifyCurrentPassword } from '../profile/verify-current-password.js';
import { requireSecretKey } from '../secrets/require-secret-key.js';
import { mfaFeature } from './factor-kinds.js';
import { beginFactorChange } from './factor-state.js';
import { newRecoveryCodes } from './recovery-codes.js';

/**
 * `POST /me/mfa/recovery-codes`: a new set of ten replaces the old one as a whole (used or not); shown once. Needs the
 * current password and the second factor, and 2FA on (409 otherwise).
 */
export async function regenerateRecoveryCodes(ctx: OperationContext, input: MfaChangeBody): Promise<RecoveryCodesResponse> {
  const userId = callerSubject(ctx).userId;
  const keyring = requireSecretKey(ctx, mfaFeature);
  const account = await verifyCurrentPassword(ctx, userId, input.currentPassword, 'mfa.recovery_codes_failed', input.secondFactor);
  const codes = newRecoveryCodes(keyring, account.id);
  await ctx.database.transact(async (trx) => {
    const { wasEnabled } = await beginFactorChange(trx, account.id);
    if (!wasEnabled) throw new DomainError('conflict', 'Recovery codes back up a second factor: set up two-factor authentication first.');
    await replaceRecoveryCodes(trx, account.id, codes.rows, ctx.now().toISOString());
    await recordAuditEvent(ctx, trx, {
      action: 'mfa.recovery_codes_regenerated',
      target: { type: 'user', id: account.id, name: account.username },
      details: { count: codes.rows.length },
    });
  });
  return { recoveryCodes: codes.shown };
}
