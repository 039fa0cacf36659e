import { deleteConsent, findApplicationRow } from '../../storage/queries/applications.js';
import { deletePayloadsOfUserAndClient } from '../../storage/queries/oidc-payloads.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { parseStringList } from './present-application.js';

/**
 * `DELETE /me/applications/:id` (SPEC §12.4): the caller takes back their consent to an application. In one
 * transaction the consent goes and so does everything the provider holds of the caller for that client (codes,
 * tokens, grants): the application's next refresh fails and its next sign-in asks for consent again. 404 `not_found`
 * when the caller has no consent to it. Audited as `oidc.token_revoked` with `reason: consent_revoked`.
 */
export async function revokeOwnConsent(ctx: OperationContext, applicationId: string): Promise<void> {
  const actor = callerSubject(ctx);
  await ctx.database.transact(async (trx) => {
    const application = await findApplicationRow(trx, applicationId);
    const scopes = application ? await deleteConsent(trx, actor.userId, applicationId) : null;
    if (!application || scopes === null) throw new DomainError('not_found', 'You have not consented to an application with this id.');
    const payloadsRevoked = await deletePayloadsOfUserAndClient(trx, actor.userId, application.client_id);
    await recordAuditEvent(ctx, trx, {
      action: 'oidc.token_revoked',
      target: { type: 'application', id: application.id, name: application.name },
      details: {
        application: { id: application.id, clientId: application.client_id, name: application.name },
        reason: 'consent_revoked',
        scopes: parseStringList(scopes),
        payloadsRevoked,
      },
    });
  });
}
