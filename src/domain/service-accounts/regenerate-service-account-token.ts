import type { RegenerateTokenBody, RegenerateTokenResponse } from '../../shared/api/service-accounts.js';
import { findTokenPrefix } from '../../storage/queries/api-tokens.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotRegenerateToken } from '../access/policies/service-account-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { reloadActor } from '../people/load-person.js';
import { loadManageableServiceAccount } from './load-service-account.js';
import { newServiceAccountToken } from './token-expiry.js';

/**
 * `POST /service-accounts/:id/token` (docs/product/service-accounts.md#the-token): a new token replaces the old one in
 * one transaction (an upsert on the one-token-per-account key), so the old one fails on the very next request on
 * every node. Two regenerations at the same moment both answer with a token; the later commit's is the one that
 * works (docs/decisions/0018). A service account cannot regenerate its own token (403).
 */
export async function regenerateServiceAccountToken(
  ctx: OperationContext,
  id: string,
  body: RegenerateTokenBody,
): Promise<RegenerateTokenResponse> {
  const actor = callerSubject(ctx);
  const now = ctx.now();
  const { token, prefix, expiry, store } = newServiceAccountToken(now, body.expiresInDays);
  await recordDenials(ctx, { action: 'service_account.token_regenerated', target: { type: 'service_account', id, name: null } }, () =>
    ctx.database.transact(async (trx) => {
      const fresh = await reloadActor(trx, actor);
      const target = await loadManageableServiceAccount(trx, id);
      assertAllowed(whyCannotRegenerateToken(fresh, target.subject, expiry.days));
      const previousPrefix = await findTokenPrefix(trx, id);
      await store(trx, id);
      await recordAuditEvent(ctx, trx, {
        action: 'service_account.token_regenerated',
        target: { type: 'service_account', id, name: target.row.username },
        details: { prefix, previousPrefix, expiresAt: expiry.expiresAt },
      });
    }),
  );
  return { token, expiresAt: expiry.expiresAt };
}
