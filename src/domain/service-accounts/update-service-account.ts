import type { ServiceAccountDetail, UpdateServiceAccountBody } from '../../shared/api/service-accounts.js';
import type { ServiceAccountRole } from '../../shared/permissions.js';
import { updateServiceAccountRow } from '../../storage/queries/service-accounts.js';
import { activeUsernameTaken } from '../../storage/queries/users.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotChangeServiceAccount } from '../access/policies/service-account-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { parseUsername } from '../people/identity.js';
import { reloadActor } from '../people/load-person.js';
import { loadManageableServiceAccount } from './load-service-account.js';
import { describeServiceAccount } from './present-service-account.js';

/**
 * `PATCH /service-accounts/:id` (docs/product/service-accounts.md): name, description and role, under R2 and R3 (an
 * Admin changes only Member service accounts; only an Owner gives one the Admin role). One audit event with the
 * changed fields; nothing changed, nothing recorded.
 */
export async function updateServiceAccount(
  ctx: OperationContext,
  id: string,
  body: UpdateServiceAccountBody,
): Promise<ServiceAccountDetail> {
  const actor = callerSubject(ctx);
  const name = body.name === undefined ? undefined : parseUsername(body.name, 'name');
  const actorAfter = await recordDenials(
    ctx,
    { action: 'service_account.updated', target: { type: 'service_account', id, name: null } },
    () =>
      ctx.database.transact(async (trx) => {
        await ctx.database.lock(trx, 'owners');
        const fresh = await reloadActor(trx, actor);
        const target = await loadManageableServiceAccount(trx, id);
        assertAllowed(whyCannotChangeServiceAccount(fresh, target.subject, body.role));
        const before = { name: target.row.username, description: target.row.description, role: target.row.role as ServiceAccountRole };
        const after = {
          name: name ?? before.name,
          description: body.description === undefined ? before.description : body.description.trim(),
          role: body.role ?? before.role,
        };
        const changed = (Object.keys(after) as Array<keyof typeof after>).filter((key) => after[key] !== before[key]);
        if (changed.length === 0) return fresh;
        if (after.name !== before.name && (await activeUsernameTaken(trx, after.name))) {
          throw new DomainError('name_taken', `The name "${after.name}" is taken by a person or another service account.`);
        }
        await updateServiceAccountRow(trx, id, { username: after.name, description: after.description, role: after.role });
        await recordAuditEvent(ctx, trx, {
          action: 'service_account.updated',
          target: { type: 'service_account', id, name: after.name },
          details: Object.fromEntries(changed.map((key) => [key, { from: before[key], to: after[key] }])),
        });
        return fresh;
      }),
  );
  return describeServiceAccount(ctx.database.db, actorAfter, id);
}
