import type { SecondFactor } from '../../shared/api/mfa.js';
import { findTokenPrefix, replaceUserToken } from '../../storage/queries/api-tokens.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { sha256Hex } from '../auth/secrets.js';
import { callerPerson, type OperationContext } from '../context.js';
import { verifyCurrentPassword } from '../profile/verify-current-password.js';
import { apiTokenPrefix, generateApiToken } from './api-token-format.js';

export interface ResetApiTokenResult {
  /** The plaintext, returned once and never stored. */
  token: string;
  prefix: string;
  createdAt: string;
}

/**
 * Issues a new personal API token, replacing any existing one in ONE transaction
 * (docs/product/security-settings.md#api-tokens): the old token fails on the very next request on every node. Needs the
 * current password. Only the SHA-256 digest and a short prefix are stored; the audit event carries the prefix, never
 * the token.
 */
export async function resetApiToken(
  ctx: OperationContext,
  input: { currentPassword?: string | undefined; secondFactor?: SecondFactor | undefined },
): Promise<ResetApiTokenResult> {
  const userId = callerPerson(ctx).userId;
  const account = await verifyCurrentPassword(ctx, userId, input.currentPassword, 'token.reset_failed', input.secondFactor);
  const token = generateApiToken();
  const prefix = apiTokenPrefix(token);
  const createdAt = ctx.now().toISOString();
  const digest = sha256Hex(token);
  await ctx.database.transact(async (trx) => {
    const previousPrefix = await findTokenPrefix(trx, account.id);
    await replaceUserToken(trx, { userId: account.id, digest, prefix, createdAt });
    await recordAuditEvent(ctx, trx, {
      action: 'token.reset',
      target: { type: 'token', id: account.id, name: account.username },
      details: { prefix, previousPrefix },
    });
  });
  return { token, prefix, createdAt };
}
