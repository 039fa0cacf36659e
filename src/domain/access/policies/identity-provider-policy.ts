import { type OrganizationRole, organizationRoleRank, type Permission } from '../../../shared/permissions.js';
import { type AccessSubject, can, effectiveRoleName } from '../authorize.js';
import { isOwner } from './people-policy.js';

/**
 * Who may do what to the identity providers people log in with (SPEC §12.2, §12.3, docs/sso.md):
 * - `organization.identity_providers.manage` (Owners) registers, changes, tests and removes them;
 * - a group value mapped onto a Roster group makes the provider's administrators the managers of that group's
 *   memberships. Mapping onto a group that carries an instance role or project access is therefore an Owner's act
 *   whoever else may ever hold the manage permission: the provider's administrators must not become Roster Admins (or
 *   gain projects) by an Admin's hand (R2/R3).
 */

const managePermission: Permission = 'organization.identity_providers.manage';

export function canManageIdentityProviders(actor: AccessSubject | null): boolean {
  return can(actor, managePermission);
}

export function whyCannotManageIdentityProviders(actor: AccessSubject): string | null {
  return canManageIdentityProviders(actor) ? null : `You need the ${managePermission} permission to manage identity providers.`;
}

/** A group a mapping would point at, as this rule sees it. */
export interface MappedGroup {
  name: string;
  role: string | null;
  hasProjectAccess: boolean;
}

/** Whether a group carries power beyond its membership: an instance role or access to a project. */
export function carriesAccess(group: MappedGroup): boolean {
  return group.role !== null || group.hasProjectAccess;
}

/** Mapping onto `groups` (those the change adds): only an Owner may map onto a group that carries access. */
export function whyCannotMapGroups(actor: AccessSubject, groups: readonly MappedGroup[]): string | null {
  if (isOwner(actor)) return null;
  const powerful = groups.find(carriesAccess);
  if (!powerful) return null;
  const what = powerful.role !== null ? `the instance role ${powerful.role}` : 'access to projects';
  return `Only an Owner can map an identity provider's groups onto "${powerful.name}": it carries ${what}.`;
}

const rankOf = (role: OrganizationRole | null) => (role === null ? -1 : organizationRoleRank(role));

/**
 * Raising the instance role of a group an identity provider maps onto (its members are whoever the provider says):
 * an Owner's act, for the same reason as mapping onto a group that carries a role (SPEC §12.2).
 */
export function whyCannotRaiseMappedGroupRole(
  actor: AccessSubject,
  group: { name: string; mapped: boolean },
  from: OrganizationRole | null,
  to: OrganizationRole | null,
): string | null {
  if (!group.mapped || isOwner(actor) || rankOf(to) <= rankOf(from)) return null;
  return `Only an Owner can raise the role of "${group.name}": an identity provider manages its members.`;
}

/**
 * An account a provider's verified email may link to without the person's own hand (SPEC §12.2): a Member by effective
 * role (a group's role counts) with no second factor. Owners, Admins and people with 2FA always link from Profile.
 */
export function mayLinkByVerifiedEmail(holder: AccessSubject): boolean {
  return effectiveRoleName(holder) === 'member' && holder.mfa?.enabled !== true;
}

/** With "Require SSO" on, Owners (by effective role) keep their password and passkey: a broken provider locks nobody out. */
export function keepsPasswordLoginUnderRequiredSso(subject: AccessSubject): boolean {
  return isOwner(subject);
}
