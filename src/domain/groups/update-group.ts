import type { GroupView, UpdateGroupBody } from '../../shared/api/groups.js';
import { updateGroupRow } from '../../storage/queries/groups.js';
import { isGroupMapped } from '../../storage/queries/identity-providers.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotGiveGroupRole, whyCannotManageGroups, whyCannotMoveMembers } from '../access/policies/group-policy.js';
import { whyCannotRaiseMappedGroupRole } from '../access/policies/identity-provider-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { reloadActor } from '../people/load-person.js';
import { findGroup, loadMemberSubjects, memberCount, parseGroupName, presentGroup, withGroupRole } from './group-records.js';

/** Renames a group, changes its description or its instance role; a role change must be allowed for every member it moves. */
export async function updateGroup(ctx: OperationContext, groupId: string, body: UpdateGroupBody): Promise<GroupView> {
  const actor = callerSubject(ctx);
  const parsedName = body.name === undefined ? undefined : parseGroupName(body.name);
  return recordDenials(
    ctx,
    { action: 'group.updated', target: { type: 'group', id: groupId, name: parsedName?.name ?? null } },
    async () => {
      try {
        return await ctx.database.transact(async (trx) => {
          const fresh = await reloadActor(trx, actor);
          assertAllowed(whyCannotManageGroups(fresh));
          const group = await findGroup(trx, groupId);
          const changes: Partial<typeof group> = {};
          if (parsedName && parsedName.name !== group.name)
            Object.assign(changes, { name: parsedName.name, name_canonical: parsedName.canonical });
          if (body.description !== undefined && body.description.trim() !== group.description)
            changes.description = body.description.trim();
          if (body.role !== undefined && body.role !== group.role) {
            assertAllowed(whyCannotGiveGroupRole(fresh, body.role));
            const mapped = await isGroupMapped(trx, groupId);
            assertAllowed(whyCannotRaiseMappedGroupRole(fresh, { name: group.name, mapped }, group.role, body.role));
            const members = await loadMemberSubjects(trx, groupId);
            const moves = members.map((before) => ({ before, after: withGroupRole(before, group, body.role) }));
            assertAllowed(whyCannotMoveMembers(fresh, moves));
            changes.role = body.role;
          }
          const updated = { ...group, ...changes };
          if (Object.keys(changes).length > 0) {
            await updateGroupRow(trx, groupId, changes);
            const before = Object.fromEntries(
              Object.keys(changes)
                .filter((k) => k !== 'name_canonical')
                .map((k) => [k, group[k as keyof typeof group]]),
            );
            const after = Object.fromEntries(
              Object.keys(changes)
                .filter((k) => k !== 'name_canonical')
                .map((k) => [k, updated[k as keyof typeof updated]]),
            );
            await recordAuditEvent(ctx, trx, {
              action: 'group.updated',
              target: { type: 'group', id: groupId, name: updated.name },
              details: { before, after },
            });
          }
          return presentGroup(updated, await memberCount(trx, groupId));
        });
      } catch (error) {
        if (ctx.database.isUniqueViolation(error))
          throw new DomainError('name_taken', `A group called "${parsedName?.name}" already exists.`);
        throw error;
      }
    },
  );
}
