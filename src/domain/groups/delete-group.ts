import { deleteGroupMemberships } from '../../storage/queries/group-members.js';
import { deleteGroupRow } from '../../storage/queries/groups.js';
import { deleteOidcPayloadsOfGroupLeavers } from '../../storage/queries/oidc-payloads.js';
import { deleteGrantsTo } from '../../storage/queries/project-access.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotManageGroups, whyCannotMoveMembers } from '../access/policies/group-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { reloadActor } from '../people/load-person.js';
import { findGroup, loadMemberSubjects, withGroupRole } from './group-records.js';

/**
 * Deletes a group, its memberships and its project access. Members lose the group's role, so R2 applies to each, and
 * what the OpenID Connect provider issued to them for applications that only this group let them into.
 */
export async function deleteGroup(ctx: OperationContext, groupId: string): Promise<void> {
  const actor = callerSubject(ctx);
  await recordDenials(ctx, { action: 'group.deleted', target: { type: 'group', id: groupId, name: null } }, async () => {
    await ctx.database.transact(async (trx) => {
      const fresh = await reloadActor(trx, actor);
      assertAllowed(whyCannotManageGroups(fresh));
      const group = await findGroup(trx, groupId);
      const members = await loadMemberSubjects(trx, groupId);
      assertAllowed(
        whyCannotMoveMembers(
          fresh,
          members.map((before) => ({ before, after: withGroupRole(before, group, undefined) })),
        ),
      );
      const projectGrantsRemoved = await deleteGrantsTo(trx, 'group', groupId);
      // Before the memberships go: the applications this group let its members into, unless another group still does.
      const oidcRevoked = await deleteOidcPayloadsOfGroupLeavers(trx, groupId, 'all members');
      await deleteGroupMemberships(trx, groupId);
      await deleteGroupRow(trx, groupId);
      await recordAuditEvent(ctx, trx, {
        action: 'group.deleted',
        target: { type: 'group', id: groupId, name: group.name },
        details: { role: group.role, members: members.map((m) => m.username), projectGrantsRemoved, oidcRevoked },
      });
    });
  });
}
