import { organizationRoleRank, organizationRoles, type Permission, type ServiceAccountRole } from '../../../shared/permissions.js';
import { type AccessSubject, can, effectiveRoleName } from '../authorize.js';
import { isOwner, isSelf, whyCannotGrantOrganizationRole } from './people-policy.js';

/**
 * Who may do what to a service account (docs/product/service-accounts.md#who-manages-them). The rules of people (R2,
 * R3) apply as they are, with the service-account permissions, plus three of their own:
 * - an Admin-role service account and a token that never expires are made (created, promoted to, regenerated) by
 *   Owners only: an Admin could otherwise mint an Admin identity it can no longer manage and that outlives it;
 * - a service account never manages itself (it cannot change its own token, role or state);
 * - never Owner (the role schema has no such value).
 */

export type ServiceAccountAction = 'update' | 'regenerateToken' | 'deactivate' | 'reactivate' | 'remove';

const actionPhrases: Record<ServiceAccountAction, string> = {
  update: 'change',
  regenerateToken: 'regenerate the token of',
  deactivate: 'deactivate',
  reactivate: 'reactivate',
  remove: 'delete',
};

const viewPermission: Permission = 'organization.service_accounts.view';
const managePermission: Permission = 'organization.service_accounts.manage';

export function canViewServiceAccounts(actor: AccessSubject | null): boolean {
  return can(actor, viewPermission);
}

/** Owners only: an Admin-role service account, a token that never expires. */
const ownerOnlyRole: ServiceAccountRole = 'admin';

/** R2 for service accounts: the manage permission, and a target whose effective role is strictly lower (Owners: any). */
export function whyCannotManageServiceAccount(actor: AccessSubject, target: AccessSubject, action: ServiceAccountAction): string | null {
  const phrase = actionPhrases[action];
  if (isSelf(actor, target)) return `A service account cannot ${phrase} itself; a service account manager can.`;
  if (!can(actor, managePermission)) return `You need the ${managePermission} permission to ${phrase} service accounts.`;
  if (isOwner(actor)) return null;
  const actorRole = effectiveRoleName(actor);
  const targetRole = effectiveRoleName(target);
  if (organizationRoleRank(targetRole) < organizationRoleRank(actorRole)) return null;
  return `${organizationRoles[actorRole].name}s cannot ${phrase} a service account whose role is ${organizationRoles[targetRole].name}; only an Owner can.`;
}

/** R3 plus the Owner-only rule for the role a service account is given (at creation or by a change). */
export function whyCannotGiveServiceAccountRole(actor: AccessSubject, role: ServiceAccountRole): string | null {
  const grant = whyCannotGrantOrganizationRole(actor, role);
  if (grant) return grant;
  if (role === ownerOnlyRole && !isOwner(actor)) return 'Only an Owner can give a service account the Admin role.';
  return null;
}

/** A token that never expires is the Owner's call. */
export function whyCannotIssueToken(actor: AccessSubject, expiresInDays: number | null): string | null {
  if (expiresInDays === null && !isOwner(actor)) return 'Only an Owner can make a service-account token that never expires.';
  return null;
}

export function whyCannotCreateServiceAccount(actor: AccessSubject, role: ServiceAccountRole, expiresInDays: number | null): string | null {
  if (!can(actor, managePermission)) return `You need the ${managePermission} permission to create service accounts.`;
  return whyCannotGiveServiceAccountRole(actor, role) ?? whyCannotIssueToken(actor, expiresInDays);
}

/** Regenerating an Admin service account's token is an Owner's act, like creating one. */
export function whyCannotRegenerateToken(actor: AccessSubject, target: AccessSubject, expiresInDays: number | null): string | null {
  const manage = whyCannotManageServiceAccount(actor, target, 'regenerateToken');
  if (manage) return manage;
  if (target.directRole === ownerOnlyRole && !isOwner(actor)) return "Only an Owner can regenerate an Admin service account's token.";
  return whyCannotIssueToken(actor, expiresInDays);
}

export function whyCannotChangeServiceAccount(
  actor: AccessSubject,
  target: AccessSubject,
  role: ServiceAccountRole | undefined,
): string | null {
  const manage = whyCannotManageServiceAccount(actor, target, 'update');
  if (manage) return manage;
  return role !== undefined && role !== target.directRole ? whyCannotGiveServiceAccountRole(actor, role) : null;
}

export interface ServiceAccountAbilities {
  edit: boolean;
  allowedRoles: ServiceAccountRole[];
  regenerateToken: boolean;
  neverExpiringToken: boolean;
  deactivate: boolean;
  reactivate: boolean;
  remove: boolean;
  reason: string | null;
}

/** What the Edit dialog may offer for `target`, decided here so the console never compares roles. */
export function serviceAccountAbilities(
  actor: AccessSubject,
  target: AccessSubject,
  state: { removed: boolean; deactivated: boolean },
  roles: readonly ServiceAccountRole[],
): ServiceAccountAbilities {
  const reason = state.removed ? 'This service account has been deleted.' : whyCannotManageServiceAccount(actor, target, 'update');
  const manage = reason === null;
  return {
    edit: manage,
    allowedRoles: manage ? roles.filter((role) => whyCannotChangeServiceAccount(actor, target, role) === null) : [],
    regenerateToken: manage && whyCannotRegenerateToken(actor, target, defaultExpiry) === null,
    neverExpiringToken: manage && whyCannotRegenerateToken(actor, target, null) === null,
    deactivate: manage && !state.deactivated,
    reactivate: manage && state.deactivated,
    remove: manage,
    reason,
  };
}

const defaultExpiry = 90;

/** The two flags a People row needs for a service account (show Edit, show Delete). */
export function serviceAccountRowAbilities(actor: AccessSubject, target: AccessSubject): { edit: boolean; remove: boolean } {
  const manageable = whyCannotManageServiceAccount(actor, target, 'update') === null;
  return { edit: manageable, remove: manageable };
}
