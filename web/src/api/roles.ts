import type { PermissionView, RoleList, RoleView } from '../../../src/shared/api/roles';
import type { PermissionScope } from '../../../src/shared/permissions';
import { apiRequest } from './client';

export type { PermissionScope, PermissionView, RoleView };

/** Every predefined role: organization roles first, each scope highest first. */
export async function fetchRoles(signal?: AbortSignal): Promise<RoleView[]> {
  return (await apiRequest<RoleList>('/roles', { signal })).items;
}

/** One role with the permissions it grants. */
export function fetchRole(id: string, signal?: AbortSignal): Promise<RoleView> {
  return apiRequest<RoleView>(`/roles/${encodeURIComponent(id)}`, { signal });
}

/** Every permission of one scope, with its description. */
export async function fetchPermissions(scope: PermissionScope, signal?: AbortSignal): Promise<PermissionView[]> {
  return (await apiRequest<{ items: PermissionView[] }>(`/permissions?scope=${scope}`, { signal })).items;
}
