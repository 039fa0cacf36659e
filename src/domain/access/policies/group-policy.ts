import type { OrganizationRole } from '../../../shared/permissions.js';
import { type AccessSubject, can, effectiveRoleName } from '../authorize.js';
import { whyCannotGrantOrganizationRole, whyCannotManagePerson } from './people-policy.js';

/**
 * Who may change groups (docs/product/console.md#groups). A group's instance role raises its members' effective role,
 * so changing a group is changing people's roles: R2 and R3 apply to every member whose effective role would change.
 */

export function canViewGroups(actor: AccessSubject | null): boolean {
  return can(actor, 'organization.groups.view');
}

export function whyCannotManageGroups(actor: AccessSubject): string | null {
  return can(actor, 'organization.groups.manage') ? null : 'Changing groups needs the organization.groups.manage permission.';
}

/** R3 for a group's instance role (Admin or Member; never Owner). */
export function whyCannotGiveGroupRole(actor: AccessSubject, role: Exclude<OrganizationRole, 'owner'> | null): string | null {
  return role ? whyCannotGrantOrganizationRole(actor, role) : null;
}

/**
 * R2 for everyone whose effective role a group change moves: `before` and `after` are the same member as seen before
 * and after the change. Returns the first refusal, naming the person.
 */
export function whyCannotMoveMembers(
  actor: AccessSubject,
  moves: ReadonlyArray<{ before: AccessSubject; after: AccessSubject }>,
): string | null {
  for (const { before, after } of moves) {
    const from = effectiveRoleName(before);
    const to = effectiveRoleName(after);
    if (from === to) continue;
    const refusal = whyCannotManagePerson(actor, before, 'changeRole') ?? whyCannotGrantOrganizationRole(actor, to);
    if (refusal) return `This would change ${before.username}'s role from ${from} to ${to}: ${refusal}`;
  }
  return null;
}
