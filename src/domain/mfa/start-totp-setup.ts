import type { StartTotpBody, StartTotpResponse } from '../../shared/api/mfa.js';
import { upsertUnconfirmedTotp } from '../../storage/queries/mfa-totp.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { verifyCurrentPassword } from '../profile/verify-current-password.js';
import { requireSecretKey } from '../secrets/require-secret-key.js';
import { mfaFeature, totpSecretField } from './factor-kinds.js';
import { newTotpSecret, totpUri } from './totp.js';

/**
 * `POST /me/mfa/totp` (docs/product/security-settings.md#two-factor-authentication): a new seed for an authenticator
 * app, encrypted at rest, unconfirmed until `confirmTotpSetup` gets a code from it. Needs the current password and, if
 * 2FA is on through another factor, a second factor. A confirmed app is never replaced here (409: remove it first); an
 * unconfirmed one is. The seed is in this answer only (and `no-store`); nothing is audited until it is confirmed.
 */
export async function startTotpSetup(ctx: OperationContext, input: StartTotpBody): Promise<StartTotpResponse> {
  const userId = callerSubject(ctx).userId;
  const keyring = requireSecretKey(ctx, mfaFeature);
  const account = await verifyCurrentPassword(ctx, userId, input.currentPassword, 'mfa.setup_failed', input.secondFactor);
  const secret = newTotpSecret();
  const stored = keyring.encrypt({ ...totpSecretField, rowId: account.id }, secret);
  const started = await ctx.database.transact((trx) =>
    upsertUnconfirmedTotp(trx, { userId: account.id, secret: stored, at: ctx.now().toISOString() }),
  );
  if (!started) throw new DomainError('conflict', 'An authenticator app is set up already: remove it before you set up another one.');
  return { secret, otpauthUrl: totpUri(secret, account.username) };
}
