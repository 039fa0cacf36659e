import type { ServiceAccountDetail } from '../../shared/api/service-accounts.js';
import { setServiceAccountDeactivated } from '../../storage/queries/service-accounts.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotManageServiceAccount } from '../access/policies/service-account-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { reloadActor } from '../people/load-person.js';
import { loadManageableServiceAccount } from './load-service-account.js';
import { describeServiceAccount } from './present-service-account.js';

/**
 * `POST /service-accounts/:id/deactivate` and `…/reactivate` (docs/product/service-accounts.md#deactivation).
 * Deactivating stops the token on the very next request on every node: the bearer-token lookup reads the state in the
 * same query, with no cache. Reactivating brings back the same token (it was never deleted), if it has not expired.
 * Grants and memberships stay either way. Idempotent: a second request changes nothing and records nothing.
 */
export async function setServiceAccountActive(ctx: OperationContext, id: string, active: boolean): Promise<ServiceAccountDetail> {
  const actor = callerSubject(ctx);
  const action = active ? 'service_account.reactivated' : 'service_account.deactivated';
  const actorAfter = await recordDenials(ctx, { action, target: { type: 'service_account', id, name: null } }, () =>
    ctx.database.transact(async (trx) => {
      const fresh = await reloadActor(trx, actor);
      const target = await loadManageableServiceAccount(trx, id);
      assertAllowed(whyCannotManageServiceAccount(fresh, target.subject, active ? 'reactivate' : 'deactivate'));
      const changed = await setServiceAccountDeactivated(trx, id, active ? null : ctx.now().toISOString());
      if (changed) await recordAuditEvent(ctx, trx, { action, target: { type: 'service_account', id, name: target.row.username } });
      return fresh;
    }),
  );
  return describeServiceAccount(ctx.database.db, actorAfter, id);
}
