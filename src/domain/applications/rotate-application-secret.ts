import type { RotateSecretResponse } from '../../shared/api/applications.js';
import { updateApplicationRow } from '../../storage/queries/applications.js';
import { whyCannotManageApplication } from '../access/policies/application-policy.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { reloadActor } from '../people/load-person.js';
import { clientSecretDigest, generateClientSecret, previousSecretOverlapMs } from './client-secret.js';
import { loadApplicationForWrite } from './load-application.js';
import { describeApplication, trustFlagsOf } from './present-application.js';

/**
 * `POST /applications/:id/secret` (docs/product/api.md#applications): a new client secret, answered once. The secret
 * it replaces keeps working for 24 hours (time to deploy the new one); a secret replaced earlier stops at once. 409
 * `conflict` for a public application (it has none). Needs organization.applications.manage, and .trust for a trusted
 * application: a new secret of an `authorizeApi` application is that application's power.
 */
export async function rotateApplicationSecret(ctx: OperationContext, id: string): Promise<RotateSecretResponse> {
  const actor = callerSubject(ctx);
  const clientSecret = generateClientSecret();
  const actorAfter = await recordDenials(
    ctx,
    { action: 'application.secret_rotated', target: { type: 'application', id, name: null } },
    () =>
      ctx.database.transact(async (trx) => {
        const fresh = await reloadActor(trx, actor);
        const { row } = await loadApplicationForWrite(trx, id);
        assertAllowed(whyCannotManageApplication(fresh, trustFlagsOf(row), 'rotateSecret'));
        if (row.type !== 'confidential' || row.secret_digest === null) {
          throw new DomainError('conflict', 'A public application has no client secret to rotate.');
        }
        const now = ctx.now();
        const previousSecretExpiresAt = new Date(now.getTime() + previousSecretOverlapMs).toISOString();
        await updateApplicationRow(trx, id, {
          secret_digest: clientSecretDigest(clientSecret),
          previous_secret_digest: row.secret_digest,
          previous_secret_expires_at: previousSecretExpiresAt,
          updated_at: now.toISOString(),
        });
        await recordAuditEvent(ctx, trx, {
          action: 'application.secret_rotated',
          target: { type: 'application', id, name: row.name },
          details: { clientId: row.client_id, previousSecretExpiresAt },
        });
        return fresh;
      }),
  );
  return { application: await describeApplication(ctx.database.db, actorAfter, id, ctx.now()), clientSecret };
}
