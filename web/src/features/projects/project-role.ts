import { type ProjectRole, projectRoleIds, projectRoles } from '../../api/catalogue';

/** Project roles for a Select, highest first, with the catalogue's names. */
export const projectRoleOptions = projectRoleIds.map((role) => ({ value: role, label: projectRoles[role].name }));

export function projectRoleLabel(role: ProjectRole): string {
  return projectRoles[role].name;
}
