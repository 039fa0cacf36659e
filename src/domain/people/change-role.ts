import type { PersonDetail } from '../../shared/api/people.js';
import { type OrganizationRole, organizationRoles } from '../../shared/permissions.js';
import { countActiveOwners, updateUser } from '../../storage/queries/users.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { lastOwnerReason, whyCannotChangeRole, wouldRemoveLastOwner } from '../access/policies/people-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { describePerson } from './get-person.js';
import { loadManageablePerson, reloadActor } from './load-person.js';

/**
 * `PUT /people/:id/role` (docs/product/console.md#people): sets a person's direct role under R1–R3, decided inside the
 * writing transaction. The `owners` lock is taken first, so two Owners demoting each other at the same moment leave
 * exactly one (R1).
 */
export async function changeRole(ctx: OperationContext, targetId: string, role: OrganizationRole): Promise<PersonDetail> {
  const actor = callerSubject(ctx);
  const actorAfter = await recordDenials(ctx, { action: 'user.role_changed', target: { type: 'user', id: targetId, name: null } }, () =>
    ctx.database.transact(async (trx) => {
      await ctx.database.lock(trx, 'owners');
      const fresh = await reloadActor(trx, actor);
      const target = await loadManageablePerson(trx, targetId);
      assertAllowed(whyCannotChangeRole(fresh, target.subject, role));
      if (wouldRemoveLastOwner(target.subject, role, { activeOwners: await countActiveOwners(trx) })) {
        throw new DomainError('last_owner', lastOwnerReason);
      }
      const from = target.row.role;
      if (from !== role) {
        await updateUser(trx, targetId, { role });
        await recordAuditEvent(ctx, trx, {
          action: 'user.role_changed',
          target: { type: 'user', id: targetId, name: target.row.username },
          details: { from, to: role, summary: `${organizationRoles[from].name} → ${organizationRoles[role].name}` },
        });
      }
      // An Owner stepping down acts with their new role from here on.
      return targetId === fresh.userId ? { ...fresh, directRole: role } : fresh;
    }),
  );
  return describePerson(ctx.database.db, actorAfter, targetId, ctx.now());
}
