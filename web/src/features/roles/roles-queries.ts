import { queryOptions } from '@tanstack/react-query';
import { fetchPermissions, fetchRole, fetchRoles, type PermissionScope } from '../../api/roles';

// The catalogue only changes with a new release of the server: no need to refetch it while the console is open.
const catalogue = { staleTime: Number.POSITIVE_INFINITY } as const;

export const rolesQueryOptions = queryOptions({ queryKey: ['roles'], queryFn: ({ signal }) => fetchRoles(signal), ...catalogue });

export function roleQueryOptions(id: string) {
  return queryOptions({ queryKey: ['roles', id], queryFn: ({ signal }) => fetchRole(id, signal), ...catalogue });
}

export function permissionsQueryOptions(scope: PermissionScope) {
  return queryOptions({ queryKey: ['permissions', scope], queryFn: ({ signal }) => fetchPermissions(scope, signal), ...catalogue });
}
