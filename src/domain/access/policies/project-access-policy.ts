import {
  everyProjectRoleOf,
  type OrganizationRole,
  organizationRoles,
  organizationRolesGivingEveryProject,
  type Permission,
  type ProjectRole,
  projectOwnerRole,
  projectRoles,
  projectRolesWith,
} from '../../../shared/permissions.js';
import { type AccessSubject, authorize, type ProjectAccessView } from '../authorize.js';

/**
 * Who may change access to a project (docs/product/console.md#projects, R3): project.access.manage on it, and only
 * roles whose permissions the actor holds on that project themselves.
 */
export function whyCannotManageProjectAccess(actor: AccessSubject, project: ProjectAccessView): string | null {
  const decision = authorize(actor, 'project.access.manage', project);
  return decision.allowed ? null : decision.reason;
}

export function whyCannotGrantProjectRole(actor: AccessSubject, project: ProjectAccessView, role: ProjectRole): string | null {
  const missing = (projectRoles[role].permissions as readonly Permission[]).filter(
    (permission) => !authorize(actor, permission, project).allowed,
  );
  if (missing.length === 0) return null;
  return `You cannot grant the project role ${projectRoles[role].name}: it includes permissions you do not hold on "${project.name}" (${missing.slice(0, 3).join(', ')}).`;
}

/**
 * The implicit Admins of every project: whoever's effective instance role gives project Admin on every project
 * (docs/product/roles-and-permissions.md#project-permissions). Storage reads them by these role lists: a direct role
 * among `directRoles`, or a group whose role is among `groupRoles`.
 */
export const everyProjectAdmins = (() => {
  const roles = organizationRolesGivingEveryProject('admin');
  return {
    role: 'admin' as ProjectRole,
    directRoles: roles,
    groupRoles: roles.filter((role): role is Exclude<OrganizationRole, 'owner'> => role !== 'owner'),
  };
})();

/** How an implicit Admin's row names its source: by their direct role when it gives the access, else by a group's. */
export function everyProjectAdminSource(directRole: OrganizationRole): string {
  const role = everyProjectRoleOf[directRole] ? directRole : (everyProjectAdmins.groupRoles[0] ?? directRole);
  return `instance ${organizationRoles[role].name}`;
}

/** The project role a project's owner holds on it, listed as implicit. */
export const projectOwnerAccessRole: ProjectRole = projectOwnerRole;

/** Project roles that include project.access.manage: a grant of one lets its holder give access to that project. */
export const accessManagingProjectRoles: readonly ProjectRole[] = projectRolesWith('project.access.manage');

/** True when owning a project lets its owner give access to it. */
export const ownersManageProjectAccess: boolean = accessManagingProjectRoles.includes(projectOwnerRole);
