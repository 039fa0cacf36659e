import { addGroupMember, removeGroupMember } from '../../storage/queries/group-members.js';
import { deleteOidcPayloadsOfGroupLeavers } from '../../storage/queries/oidc-payloads.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotManageGroups, whyCannotMoveMembers } from '../access/policies/group-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { loadManageablePerson, reloadActor } from '../people/load-person.js';
import { findGroup, withGroupRole } from './group-records.js';

/**
 * Adds a person to a group or removes them (docs/product/console.md#groups). Joining or leaving moves their effective
 * role when the group has one, so R2/R3 apply as for a role change. Adding an existing member or removing a non-member
 * changes nothing. Leaving revokes what the OpenID Connect provider issued to them for the applications restricted
 * to groups that only this group let them into.
 */
export async function changeGroupMembership(
  ctx: OperationContext,
  input: { groupId: string; userId: string; member: boolean },
): Promise<{ changed: boolean }> {
  const actor = callerSubject(ctx);
  const action = input.member ? 'group.member_added' : 'group.member_removed';
  return recordDenials(ctx, { action, target: { type: 'group', id: input.groupId, name: null } }, async () =>
    ctx.database.transact(async (trx) => {
      const fresh = await reloadActor(trx, actor);
      assertAllowed(whyCannotManageGroups(fresh));
      const group = await findGroup(trx, input.groupId);
      const person = await loadManageablePerson(trx, input.userId, 'any').catch((error: unknown) => {
        if (error instanceof DomainError && error.code === 'conflict') throw new DomainError('not_found', 'No active person has this id.');
        throw error;
      });
      const isMember = person.subject.groups.some((g) => g.id === group.id);
      if (isMember === input.member) return { changed: false };
      const after = withGroupRole(person.subject, group, input.member ? group.role : undefined);
      assertAllowed(whyCannotMoveMembers(fresh, [{ before: person.subject, after }]));
      let oidcRevoked: number | undefined;
      if (input.member) await addGroupMember(trx, group.id, person.row.id, ctx.now().toISOString());
      else {
        // Before the membership goes: the applications this group let them into, unless another group still does.
        oidcRevoked = await deleteOidcPayloadsOfGroupLeavers(trx, group.id, { userId: person.row.id });
        await removeGroupMember(trx, group.id, person.row.id);
      }
      await recordAuditEvent(ctx, trx, {
        action,
        target: { type: 'group', id: group.id, name: group.name },
        details: { userId: person.row.id, username: person.row.username, groupRole: group.role, ...(input.member ? {} : { oidcRevoked }) },
      });
      return { changed: true };
    }),
  );
}
