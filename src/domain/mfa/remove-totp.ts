import type { MfaChangeBody } from '../../shared/api/mfa.js';
import { deleteTotp } from '../../storage/queries/mfa-totp.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { verifyCurrentPassword } from '../profile/verify-current-password.js';
import { beginFactorChange, finishFactorChange } from './factor-state.js';

/**
 * `DELETE /me/mfa/totp`: removes the authenticator app (an unconfirmed setup too). Needs the current password and the
 * second factor. When it was the last factor, 2FA turns off and the recovery codes go with it — refused (403) while the
 * policy requires 2FA of the person.
 */
export async function removeTotp(ctx: OperationContext, input: MfaChangeBody): Promise<void> {
  const userId = callerSubject(ctx).userId;
  const account = await verifyCurrentPassword(ctx, userId, input.currentPassword, 'mfa.disable_failed', input.secondFactor);
  await ctx.database.transact(async (trx) => {
    const { wasEnabled } = await beginFactorChange(trx, account.id);
    const confirmedRemoved = await deleteTotp(trx, account.id, { confirmedOnly: true });
    if (!confirmedRemoved) {
      if (!(await deleteTotp(trx, account.id))) throw new DomainError('not_found', 'No authenticator app is set up.');
      return;
    }
    await finishFactorChange(ctx, trx, { account, wasEnabled, factor: { kind: 'totp' }, change: 'removed' });
  });
}
