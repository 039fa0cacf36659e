import { deleteIdentityProviderRow } from '../../storage/queries/identity-providers.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotManageIdentityProviders } from '../access/policies/identity-provider-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { reloadActor } from '../people/load-person.js';
import { loadIdentityProviderForWrite } from './load-identity-provider.js';

/**
 * `DELETE /identity-providers/:id` (docs/sso.md): in one transaction the provider goes with its group mappings and the
 * identities linked through it (ON DELETE CASCADE): nobody logs in with it from the next request on. The groups it
 * mapped and their memberships stay. Needs organization.identity_providers.manage.
 */
export async function removeIdentityProvider(ctx: OperationContext, id: string): Promise<void> {
  const actor = callerSubject(ctx);
  await recordDenials(ctx, { action: 'identity_provider.removed', target: { type: 'identity_provider', id, name: null } }, () =>
    ctx.database.transact(async (trx) => {
      const fresh = await reloadActor(trx, actor);
      assertAllowed(whyCannotManageIdentityProviders(fresh));
      const { row } = await loadIdentityProviderForWrite(trx, id);
      await deleteIdentityProviderRow(trx, id);
      await recordAuditEvent(ctx, trx, {
        action: 'identity_provider.removed',
        target: { type: 'identity_provider', id, name: row.label },
        details: { label: row.label, issuer: row.issuer, clientId: row.client_id },
      });
    }),
  );
}
