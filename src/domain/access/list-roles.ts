import type { RoleView } from '../../shared/api/roles.js';
import { type PermissionScope, permissionCatalogue, predefinedRoles } from '../../shared/permissions.js';
import { DomainError } from '../errors.js';

/** The roles of the catalogue as the API shows them (SPEC §3, §6). Only predefined roles exist (R6). */
export function listRoles(scope?: PermissionScope): RoleView[] {
  return predefinedRoles
    .filter((role) => !scope || role.scope === scope)
    .map((role) => ({ ...role, predefined: true, permissions: [...role.permissions] }));
}

export function getRole(id: string): RoleView {
  const role = listRoles().find((candidate) => candidate.id === id);
  if (!role) throw new DomainError('not_found', `There is no role ${JSON.stringify(id)}.`);
  return role;
}

export function listPermissions(scope?: PermissionScope) {
  return permissionCatalogue
    .map((entry) => ({
      name: entry.name,
      scope: entry.name.startsWith('project.') ? ('project' as const) : ('organization' as const),
      description: entry.description,
    }))
    .filter((entry) => !scope || entry.scope === scope);
}
