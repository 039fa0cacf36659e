import {
  type OrganizationRole,
  organizationRoleIds,
  organizationRoleRank,
  organizationRoles,
  type Permission,
} from '../../../shared/permissions.js';
import { type AccessSubject, can, effectiveRoleName, instancePermissions } from '../authorize.js';

/**
 * Who may do what to a person (docs/product/roles-and-permissions.md#rules-nobody-can-break, R1–R3). Each rule is a
 * named predicate; the `why…` form returns the reason for a refusal (shown as the 403 detail and as the console's
 * tooltip) or null when allowed. Nothing else in the code compares role strings for people management.
 */

/** Actions on another account that R2 governs. */
export type PersonAction = 'changeRole' | 'changeEmail' | 'resetPassword' | 'resetMfa' | 'unlock' | 'endSessions' | 'remove';

const actionPhrases: Record<PersonAction, string> = {
  changeRole: 'change the role of',
  changeEmail: 'change the email address of',
  resetPassword: 'reset the password of',
  resetMfa: 'reset two-factor authentication of',
  unlock: 'unlock',
  endSessions: 'end the sessions of',
  remove: 'remove',
};

/** Every action on a person needs this permission, besides R2. */
const managePermission: Permission = 'organization.people.manage';

/** Facts R1 needs that are not in either subject. */
export interface OwnerCount {
  /** Active accounts whose direct role is Owner (groups never grant Owner). */
  activeOwners: number;
}

const roleName = (role: OrganizationRole) => organizationRoles[role].name;
const plural = (role: OrganizationRole) => `${roleName(role)}s`;

export function canViewPeople(actor: AccessSubject | null): boolean {
  return can(actor, 'organization.people.view');
}

export function canInvitePeople(actor: AccessSubject | null): boolean {
  return can(actor, 'organization.people.invite');
}

/** The target's effective role is an Owner role (groups never grant Owner, so this is the direct role). */
export function isOwner(subject: AccessSubject): boolean {
  return effectiveRoleName(subject) === 'owner';
}

export function isSelf(actor: AccessSubject, target: AccessSubject): boolean {
  return actor.userId === target.userId;
}

/**
 * R2: an actor manages only people whose effective role is strictly lower than their own; Owners manage everyone.
 * Self-service goes through Profile settings (it needs the current password,
 * docs/product/security-settings.md#api-tokens), with two exceptions decided in docs/decisions: an Owner may step down
 * (`whyCannotChangeRole`) and may remove their own account (`whyCannotRemovePerson`).
 */
export function whyCannotManagePerson(actor: AccessSubject, target: AccessSubject, action: PersonAction): string | null {
  if (!can(actor, managePermission)) return `You need the ${managePermission} permission to ${actionPhrases[action]} people.`;
  if (!target.active) return 'This account has been removed.';
  if (isSelf(actor, target)) return `You cannot ${actionPhrases[action]} your own account here; use Profile settings.`;
  if (isOwner(actor)) return null;
  const actorRole = effectiveRoleName(actor);
  const targetRole = effectiveRoleName(target);
  if (organizationRoleRank(targetRole) < organizationRoleRank(actorRole)) return null;
  const whom = targetRole === actorRole ? `another ${roleName(targetRole)}` : `an ${roleName(targetRole)}`;
  return `${plural(actorRole)} cannot ${actionPhrases[action]} ${whom}; only people with a lower role.`;
}

export function canManagePerson(actor: AccessSubject, target: AccessSubject, action: PersonAction): boolean {
  return whyCannotManagePerson(actor, target, action) === null;
}

/** R3: nobody grants a role with permissions they do not hold themselves. */
export function whyCannotGrantOrganizationRole(actor: AccessSubject, role: OrganizationRole): string | null {
  const held = new Set<Permission>(instancePermissions(actor));
  const missing = organizationRoles[role].permissions.filter((permission) => !held.has(permission));
  if (missing.length === 0) return null;
  const shown = missing.slice(0, 3).join(', ') + (missing.length > 3 ? ', …' : '');
  return `You cannot grant the ${roleName(role)} role: it includes permissions you do not hold (${shown}).`;
}

/** R1: would giving `target` the direct role `role` (or removing them, `role = null`) leave no active Owner? */
/** R1 looks at the number of Owners only for a target that is an active Owner. */
export function needsOwnerCount(target: AccessSubject): boolean {
  return target.active && target.directRole === 'owner';
}

export function wouldRemoveLastOwner(target: AccessSubject, role: OrganizationRole | null, owners: OwnerCount): boolean {
  return needsOwnerCount(target) && role !== 'owner' && owners.activeOwners <= 1;
}

export const lastOwnerReason = 'The instance must keep at least one Owner: make someone else an Owner first.';

/**
 * R1–R3 for a role change. Nobody changes their own role, except an Owner stepping down while another Owner exists.
 * Without `owners`, R1 is not checked (the writing transaction checks it under the `owners` lock).
 */
export function whyCannotChangeRole(
  actor: AccessSubject,
  target: AccessSubject,
  role: OrganizationRole,
  owners?: OwnerCount,
): string | null {
  if (isSelf(actor, target)) {
    if (!can(actor, managePermission)) return `You need the ${managePermission} permission to change roles.`;
    if (role === target.directRole) return null;
    if (!isOwner(actor)) return 'Nobody can change their own role, except an Owner stepping down while another Owner exists.';
  } else {
    const refusal = whyCannotManagePerson(actor, target, 'changeRole') ?? whyCannotGrantOrganizationRole(actor, role);
    if (refusal) return refusal;
  }
  if (owners && wouldRemoveLastOwner(target, role, owners)) return lastOwnerReason;
  return null;
}

/** R2 for removal, plus one self-service exception: an Owner may leave while another Owner remains (R1). */
export function whyCannotRemovePerson(actor: AccessSubject, target: AccessSubject, owners?: OwnerCount): string | null {
  if (isSelf(actor, target)) {
    if (!can(actor, managePermission) || !isOwner(actor)) {
      return 'You cannot remove your own account; ask an Owner.';
    }
  } else {
    const refusal = whyCannotManagePerson(actor, target, 'remove');
    if (refusal) return refusal;
  }
  if (owners && wouldRemoveLastOwner(target, null, owners)) return lastOwnerReason;
  return null;
}

export function canRemovePerson(actor: AccessSubject, target: AccessSubject, owners?: OwnerCount): boolean {
  return whyCannotRemovePerson(actor, target, owners) === null;
}

export interface PersonAbilities {
  changeRole: boolean;
  allowedRoles: OrganizationRole[];
  changeEmail: boolean;
  resetPassword: boolean;
  resetMfa: boolean;
  unlock: boolean;
  endSessions: boolean;
  remove: boolean;
  /** Why each role the caller may not set is disabled (the console's tooltip). */
  disabledReasons: Partial<Record<OrganizationRole, string>>;
}

/** Everything the Edit user dialog may offer for `target`, decided here so the console never compares roles. */
export function personAbilities(actor: AccessSubject, target: AccessSubject, owners: OwnerCount): PersonAbilities {
  const allowedRoles: OrganizationRole[] = [];
  const disabledReasons: Partial<Record<OrganizationRole, string>> = {};
  for (const role of organizationRoleIds) {
    const refusal = target.active ? whyCannotChangeRole(actor, target, role, owners) : 'This account has been removed.';
    if (refusal) disabledReasons[role] = refusal;
    else allowedRoles.push(role);
  }
  return {
    changeRole: allowedRoles.some((role) => role !== target.directRole),
    allowedRoles,
    changeEmail: canManagePerson(actor, target, 'changeEmail'),
    resetPassword: canManagePerson(actor, target, 'resetPassword'),
    resetMfa: canManagePerson(actor, target, 'resetMfa'),
    unlock: canManagePerson(actor, target, 'unlock'),
    endSessions: canManagePerson(actor, target, 'endSessions'),
    remove: target.active && canRemovePerson(actor, target, owners),
    disabledReasons,
  };
}

/**
 * The two flags a People row needs: show Edit, show Remove. Every action on someone else needs the same permission and
 * R2, so one check answers Edit for them; only the caller's own row (an Owner stepping down) needs the full rules.
 * A page of 50 rows calls this 50 times per request, hence the short path.
 */
export function personRowAbilities(actor: AccessSubject, target: AccessSubject, owners: OwnerCount): { edit: boolean; remove: boolean } {
  if (isSelf(actor, target)) {
    const all = personAbilities(actor, target, owners);
    return { edit: all.changeRole || all.changeEmail || all.resetPassword || all.unlock || all.endSessions, remove: all.remove };
  }
  const manageable = canManagePerson(actor, target, 'changeRole');
  return { edit: manageable, remove: manageable && target.active && canRemovePerson(actor, target, owners) };
}
