import type { SecondFactor } from '../../shared/api/mfa.js';
import { deleteUserToken } from '../../storage/queries/api-tokens.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerPerson, type OperationContext } from '../context.js';
import { verifyCurrentPassword } from '../profile/verify-current-password.js';

/**
 * Revokes the caller's personal API token (docs/product/console.md#profile-settings,
 * docs/product/security-settings.md#api-tokens); needs the current password. Idempotent: with no token there is nothing
 * to change and nothing to audit.
 */
export async function revokeApiToken(
  ctx: OperationContext,
  input: { currentPassword?: string | undefined; secondFactor?: SecondFactor | undefined },
): Promise<boolean> {
  const userId = callerPerson(ctx).userId;
  const account = await verifyCurrentPassword(ctx, userId, input.currentPassword, 'token.revoke_failed', input.secondFactor);
  return ctx.database.transact(async (trx) => {
    const prefix = await deleteUserToken(trx, account.id);
    if (prefix === null) return false;
    await recordAuditEvent(ctx, trx, {
      action: 'token.revoked',
      target: { type: 'token', id: account.id, name: account.username },
      details: { prefix },
    });
    return true;
  });
}
