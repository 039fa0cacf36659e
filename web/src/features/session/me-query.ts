import { queryOptions, useQuery } from '@tanstack/react-query';
import { fetchMe } from '../../api/auth';

export const meQueryKey = ['me'] as const;

/**
 * The signed-in caller (`GET /api/v1/me`), or null when nobody is signed in.
 * A 401 is an answer here, not an error: it is how the console learns it must show the login page.
 */
export const meQueryOptions = queryOptions({
  queryKey: meQueryKey,
  queryFn: ({ signal }) => fetchMe(signal),
  // Roles are read fresh by the server on every request
  // (docs/product/roles-and-permissions.md#fresh-reads-on-every-request); refetching on focus keeps the menus honest.
  staleTime: 30_000,
});

export function useMeQuery() {
  return useQuery(meQueryOptions);
}
