import { type Permission, type ProjectRole, projectRoles } from '../../../shared/permissions.js';
import { type AccessSubject, authorize, type ProjectAccessView } from '../authorize.js';

/**
 * Who may change access to a project (SPEC §4.5, R3): project.access.manage on it, and only roles whose permissions the
 * actor holds on that project themselves.
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
