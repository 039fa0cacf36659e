import { recordAuditEvent } from '../audit/record-audit-event.js';
import { sha256Hex } from '../auth/secrets.js';
import type { OperationContext } from '../context.js';
import { verifyCurrentPassword } from '../profile/verify-current-password.js';
import { apiTokenPrefix, generateApiToken } from './api-token-format.js';

export interface ResetApiTokenResult {
  /** The plaintext, returned once and never stored. */
  token: string;
  prefix: string;
  createdAt: string;
}

/**
 * Issues a new personal API token, replacing any existing one in ONE transaction (SPEC §5.5): the old token fails on
 * the very next request on every node. Needs the current password. Only the SHA-256 digest and a short prefix are
 * stored; the audit event carries the prefix, never the token.
 */
export async function resetApiToken(
  ctx: OperationContext,
  userId: string,
  input: { currentPassword?: string | undefined },
): Promise<ResetApiTokenResult> {
  const account = await verifyCurrentPassword(ctx, userId, input.currentPassword, 'token.reset_failed');
  const token = generateApiToken();
  const prefix = apiTokenPrefix(token);
  const createdAt = ctx.now().toISOString();
  const digest = sha256Hex(token);
  await ctx.database.transact(async (trx) => {
    const previous = await trx.selectFrom('api_tokens').select('prefix').where('user_id', '=', account.id).executeTakeFirst();
    // An upsert on the one-token-per-user key, not delete + insert: parallel resets on PostgreSQL (READ COMMITTED)
    // then queue on the row instead of failing on the key, and exactly one token, the last, stays valid.
    await trx
      .insertInto('api_tokens')
      .values({ user_id: account.id, digest, prefix, created_at: createdAt, last_used_at: null })
      .onConflict((conflict) => conflict.column('user_id').doUpdateSet({ digest, prefix, created_at: createdAt, last_used_at: null }))
      .execute();
    await recordAuditEvent(ctx, trx, {
      action: 'token.reset',
      target: { type: 'token', id: account.id, name: account.username },
      details: { prefix, previousPrefix: previous?.prefix ?? null },
    });
  });
  return { token, prefix, createdAt };
}
