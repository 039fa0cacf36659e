import { deleteApplicationRow } from '../../storage/queries/applications.js';
import { deletePayloadsOfClient } from '../../storage/queries/oidc-payloads.js';
import { whyCannotManageApplication } from '../access/policies/application-policy.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { reloadActor } from '../people/load-person.js';
import { loadApplicationForWrite } from './load-application.js';
import { trustFlagsOf } from './present-application.js';

/**
 * `DELETE /applications/:id` (docs/product/api.md#applications): in one transaction the application goes (its allowed
 * groups and consents with it, ON DELETE CASCADE) and so does every object the provider holds for its client id
 * (codes, tokens, grants, interactions): nothing it was issued works from the next request on. Needs
 * organization.applications.manage, and .trust for a trusted application.
 */
export async function removeApplication(ctx: OperationContext, id: string): Promise<void> {
  const actor = callerSubject(ctx);
  await recordDenials(ctx, { action: 'application.removed', target: { type: 'application', id, name: null } }, () =>
    ctx.database.transact(async (trx) => {
      const fresh = await reloadActor(trx, actor);
      const { row } = await loadApplicationForWrite(trx, id);
      assertAllowed(whyCannotManageApplication(fresh, trustFlagsOf(row), 'remove'));
      const payloadsRevoked = await deletePayloadsOfClient(trx, row.client_id);
      await deleteApplicationRow(trx, id);
      await recordAuditEvent(ctx, trx, {
        action: 'application.removed',
        target: { type: 'application', id, name: row.name },
        details: { clientId: row.client_id, name: row.name, type: row.type, ...trustFlagsOf(row), payloadsRevoked },
      });
    }),
  );
}
