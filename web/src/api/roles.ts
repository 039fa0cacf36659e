import type { PermissionView, RoleView } from '../../../src/shared/api/roles';
import type { PermissionScope } from '../../../src/shared/permissions';
import { api, dataOf } from './client';

export type { PermissionScope, PermissionView, RoleView };

/** Every predefined role: organization roles first, each scope highest first. */
export async function fetchRoles(signal?: AbortSignal): Promise<RoleView[]> {
  return (await dataOf(api.GET('/roles', { signal }))).items;
}

/** One role with the permissions it grants. */
export function fetchRole(id: string, signal?: AbortSignal): Promise<RoleView> {
  return dataOf(api.GET('/roles/{id}', { params: { path: { id } }, signal }));
}

/** Every permission of one scope, with its description. */
export async function fetchPermissions(scope: PermissionScope, signal?: AbortSignal): Promise<PermissionView[]> {
  return (await dataOf(api.GET('/permissions', { params: { query: { scope } }, signal }))).items;
}
