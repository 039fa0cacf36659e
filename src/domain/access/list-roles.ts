import type { RoleView } from '../../shared/api/roles.js';
import { type PermissionScope, permissionCatalogue, predefinedRoles } from '../../shared/permissions.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { can } from './authorize.js';

/** Reading the catalogue needs organization.custom_roles.view. */
function assertCanViewRoles(ctx: OperationContext): void {
  if (!can(callerSubject(ctx), 'organization.custom_roles.view')) {
    throw new DomainError('forbidden', 'Seeing roles needs organization.custom_roles.view.');
  }
}

/**
 * The roles of the catalogue as the API shows them (docs/product/roles-and-permissions.md#permissions,
 * docs/product/api.md). Only predefined roles exist (R6).
 */
export function listRoles(ctx: OperationContext, scope?: PermissionScope): RoleView[] {
  assertCanViewRoles(ctx);
  return predefinedRoles
    .filter((role) => !scope || role.scope === scope)
    .map((role) => ({ ...role, predefined: true, permissions: [...role.permissions] }));
}

export function getRole(ctx: OperationContext, id: string): RoleView {
  const role = listRoles(ctx).find((candidate) => candidate.id === id);
  if (!role) throw new DomainError('not_found', `There is no role ${JSON.stringify(id)}.`);
  return role;
}

export function listPermissions(ctx: OperationContext, scope?: PermissionScope) {
  assertCanViewRoles(ctx);
  return permissionCatalogue
    .map((entry) => ({
      name: entry.name,
      scope: entry.name.startsWith('project.') ? ('project' as const) : ('organization' as const),
      description: entry.description,
    }))
    .filter((entry) => !scope || entry.scope === scope);
}
