import type { AssertionOptions } from '../../shared/api/webauthn.js';
import { findLivePendingLoginUser } from '../../storage/queries/mfa-pending-logins.js';
import { pendingLoginMaxCodes } from '../auth/pending-login.js';
import { sha256Hex } from '../auth/secrets.js';
import type { OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { startAccountAssertion } from './webauthn-assertions.js';

/**
 * Options for **Use a security key** on a login's second step (docs/product/security-settings.md#security-keys-and-passkeys):
 * the pending login names the account, and the challenge is bound to it and to this purpose. Without a live pending
 * login: 401, the person logs in with the password again.
 */
export async function startSecondFactorAssertion(ctx: OperationContext, rawPendingId: string): Promise<AssertionOptions> {
  const userId = await findLivePendingLoginUser(ctx.database.db, sha256Hex(rawPendingId), {
    now: ctx.now().toISOString(),
    maxAttempts: pendingLoginMaxCodes,
  });
  if (!userId) throw new DomainError('unauthenticated', 'This login has expired. Log in again with your password.');
  return startAccountAssertion(ctx, userId, 'second_factor');
}
