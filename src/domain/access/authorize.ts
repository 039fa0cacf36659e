import {
  everyProjectRoleOf,
  type OrganizationRole,
  organizationRoleRank,
  organizationRoles,
  type Permission,
  type ProjectRole,
  permissionScope,
  projectOwnerRole,
  projectRoleRank,
  projectRoles,
} from '../../shared/permissions.js';
import type { UserType } from '../../storage/schema.js';

/**
 * Everything a decision needs about a user, read fresh for every request
 * (docs/product/roles-and-permissions.md#fresh-reads-on-every-request).
 */
export interface AccessSubject {
  userId: string;
  username: string;
  /** A person, or a service account (docs/product/service-accounts.md): both are subjects of the same decisions. */
  type: UserType;
  /** Not removed and, for a service account, not deactivated: only an active subject holds any permission. */
  active: boolean;
  /** A service account that is deactivated (it keeps its grants; its token stops). */
  deactivated: boolean;
  /**
   * A temporary-password session or a token of a user who must change their password
   * (docs/product/roles-and-permissions.md#no-permissions-without-a-usable-account).
   */
  restricted: boolean;
  directRole: OrganizationRole;
  groups: ReadonlyArray<{ id: string; name: string; role: Exclude<OrganizationRole, 'owner'> | null }>;
  /**
   * What the 2FA policy needs to know about the caller (docs/product/security-settings.md#two-factor-authentication),
   * read with the account on every request; absent on subjects built for listing other people.
   */
  mfa?: MfaStanding;
}

/** The account's second-factor state and the instance's policy, as one request read them. */
export interface MfaStanding {
  enabled: boolean;
  policy: 'none' | 'admins' | 'everyone';
  graceDays: number;
  /** The latest of the policy change, the account's creation and its last 2FA reset. */
  graceStartsAt: string;
  /**
   * This request's session was opened through an identity provider that enforces its own 2FA and whose `amr` showed a
   * second factor (docs/sso.md#two-factor-authentication): the policy is satisfied without Roster factors.
   */
  byProvider?: boolean;
}

/**
 * A project as decisions see it: its owner and the grants that reach the users it was loaded for (their own grants and
 * their groups'; loadProjectAccessView). A decision about anyone else would miss their grants, so a view is only ever
 * used for the users it was loaded for.
 */
export interface ProjectAccessView {
  id: string;
  name: string;
  ownerId: string;
  grants: ReadonlyArray<{ subjectType: 'user' | 'group'; subjectId: string; role: ProjectRole }>;
}

export interface Decision {
  allowed: boolean;
  permission: Permission;
  /** One line for people: what granted it, or why it was refused. */
  reason: string;
  /** Every path that grants the permission, e.g. `group "backend" → project role Contributor on "api" → project.job.rerun`. */
  paths: string[];
}

export interface EffectiveRole {
  role: OrganizationRole;
  /** How the role was reached: `direct role Admin` or `group "ops" → role Admin`. */
  via: string[];
}

/** Highest of the direct role and the roles of the user's groups, without saying how (the per-request fast path). */
export function effectiveRoleName(subject: AccessSubject): OrganizationRole {
  let role = subject.directRole;
  for (const group of subject.groups) {
    if (group.role && organizationRoleRank(group.role) > organizationRoleRank(role)) role = group.role;
  }
  return role;
}

/** Each organization role's permissions as a set, built once. */
const organizationPermissionSets = new Map(
  Object.entries(organizationRoles).map(([role, definition]) => [role, new Set<Permission>(definition.permissions)]),
);

/** Each project role's permissions as a set, built once. */
const projectPermissionSets = new Map(
  Object.entries(projectRoles).map(([role, definition]) => [role, new Set<Permission>(definition.permissions)]),
);

/**
 * Highest of the direct role and the roles of the user's groups
 * (docs/product/roles-and-permissions.md#effective-instance-role), with every path that reaches it.
 */
export function effectiveRole(subject: AccessSubject): EffectiveRole {
  const candidates: Array<{ role: OrganizationRole; via: string }> = [
    { role: subject.directRole, via: `direct role ${organizationRoles[subject.directRole].name}` },
    ...subject.groups.flatMap((group) =>
      group.role ? [{ role: group.role, via: `group "${group.name}" → role ${organizationRoles[group.role].name}` }] : [],
    ),
  ];
  const top = Math.max(...candidates.map((c) => organizationRoleRank(c.role)));
  const winners = candidates.filter((c) => organizationRoleRank(c.role) === top);
  return { role: winners[0]?.role ?? 'member', via: winners.map((w) => w.via) };
}

/**
 * Project roles the subject holds on `project`, each with the path that gives it
 * (docs/product/roles-and-permissions.md#project-permissions), highest role first; among equal roles: the instance
 * role's implicit one, ownership, the person's own grant, then their groups by name. With `describe` false the paths
 * are left empty: the per-request checks need only the roles.
 */
export function projectRolesOf(
  subject: AccessSubject,
  project: ProjectAccessView,
  describe = true,
): Array<{ role: ProjectRole; via: string }> {
  const roles: Array<{ role: ProjectRole; via: string }> = [];
  const instance = describe ? effectiveRole(subject) : { role: effectiveRoleName(subject), via: [''] };
  const everyProject = everyProjectRoleOf[instance.role];
  if (everyProject) {
    const name = projectRoles[everyProject].name;
    for (const via of instance.via)
      roles.push({ role: everyProject, via: describe ? `${via} → implicit project ${name} on "${project.name}"` : '' });
  }
  if (project.ownerId === subject.userId) {
    const via = describe ? `owner of project "${project.name}" → project ${projectRoles[projectOwnerRole].name}` : '';
    roles.push({ role: projectOwnerRole, via });
  }
  const groupGrants = new Map<string, ProjectRole>();
  for (const grant of project.grants) {
    if (grant.subjectType === 'group') groupGrants.set(grant.subjectId, grant.role);
    else if (grant.subjectId === subject.userId) {
      roles.push({ role: grant.role, via: describe ? `project role ${projectRoles[grant.role].name} on "${project.name}"` : '' });
    }
  }
  // In the order of the person's groups (by name), so that equal roles are listed, and the first one named, the same way every time.
  for (const group of subject.groups) {
    const role = groupGrants.get(group.id);
    if (role)
      roles.push({ role, via: describe ? `group "${group.name}" → project role ${projectRoles[role].name} on "${project.name}"` : '' });
  }
  return roles.sort((a, b) => projectRoleRank(b.role) - projectRoleRank(a.role));
}

/**
 * The one decision function every path uses (docs/product/roles-and-permissions.md#how-a-decision-is-made). Instance
 * permissions come from the effective role; project permissions need `project` and come from the union of the project
 * roles the subject holds there.
 */
export function authorize(subject: AccessSubject | null, permission: Permission, project?: ProjectAccessView): Decision {
  return decideEach(subject, [permission], project)[0] as Decision;
}

/**
 * `authorize` for each of `permissions`, about one subject and project (the permissions list): the effective role and
 * the project roles, with their paths, are worked out once for all of them instead of once per permission.
 */
export function decideEach(subject: AccessSubject | null, permissions: readonly Permission[], project?: ProjectAccessView): Decision[] {
  const refusal = (reason: string) => permissions.map((permission) => refuse(permission, reason));
  if (!subject) return refusal('Not authenticated.');
  if (!subject.active) return refusal(subject.deactivated ? 'The service account is deactivated.' : 'The account has been removed.');
  if (subject.restricted) return refusal('The password must be changed before anything else.');
  let role: EffectiveRole | undefined;
  let held: Array<{ role: ProjectRole; via: string }> | undefined;
  return permissions.map((permission) => {
    if (permissionScope(permission) === 'organization') {
      role ??= effectiveRole(subject);
      return decideInstance(role, permission);
    }
    if (!project) return refuse(permission, `${permission} is a project permission; name a project.`);
    held ??= projectRolesOf(subject, project);
    return decideOnProject(subject, project, held, permission);
  });
}

function refuse(permission: Permission, reason: string): Decision {
  return { allowed: false, permission, reason, paths: [] };
}

function decideInstance(role: EffectiveRole, permission: Permission): Decision {
  const granted = organizationPermissionSets.get(role.role)?.has(permission) ?? false;
  if (!granted)
    return refuse(permission, `The role ${organizationRoles[role.role].name} (${role.via.join('; ')}) does not include ${permission}.`);
  const paths = role.via.map((via) => `${via} → ${permission}`);
  return { allowed: true, permission, reason: paths[0] ?? permission, paths };
}

function decideOnProject(
  subject: AccessSubject,
  project: ProjectAccessView,
  held: ReadonlyArray<{ role: ProjectRole; via: string }>,
  permission: Permission,
): Decision {
  if (held.length === 0) return refuse(permission, `${subject.username} has no access to project "${project.name}".`);
  const paths = held.filter((h) => projectPermissionSets.get(h.role)?.has(permission)).map((h) => `${h.via} → ${permission}`);
  if (paths.length === 0) {
    const roleNames = [...new Set(held.map((h) => projectRoles[h.role].name))].join(', ');
    return refuse(permission, `On "${project.name}", ${subject.username} holds ${roleNames}, which does not include ${permission}.`);
  }
  return { allowed: true, permission, reason: paths[0] ?? permission, paths };
}

/** `authorize(...).allowed`, answered without building reasons (it runs many times per request). */
export function can(subject: AccessSubject | null, permission: Permission, project?: ProjectAccessView): boolean {
  if (!subject?.active || subject.restricted) return false;
  if (permissionScope(permission) === 'organization') {
    return organizationPermissionSets.get(effectiveRoleName(subject))?.has(permission) ?? false;
  }
  if (!project) return false;
  return projectRolesOf(subject, project, false).some((held) => projectPermissionSets.get(held.role)?.has(permission));
}

/** All instance permissions the subject holds (for `/me` and the console's abilities). */
export function instancePermissions(subject: AccessSubject): Permission[] {
  if (!subject.active || subject.restricted) return [];
  return [...organizationRoles[effectiveRoleName(subject)].permissions];
}
