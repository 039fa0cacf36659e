// The permission catalogue and the predefined roles come from the server's shared code (STYLE: `web → shared`), so
// that the console's role descriptions and permission names can never drift from what the server enforces.
export {
  type GroupRole as GroupRoleId,
  groupRoleIds,
  organizationRoleIds,
  organizationRoles,
  type Permission,
  type PermissionScope,
  type ProjectRole,
  permissionCatalogue,
  projectRoleIds,
  projectRoles,
} from '../../../src/shared/permissions';
