import { infiniteQueryOptions, type QueryClient, queryOptions } from '@tanstack/react-query';
import { fetchGroup, listGroupMembers } from '../../api/group-management';
import { listGroups } from '../../api/groups';

export const groupsQueryKey = ['groups'] as const;

/** The groups list, page by page (`Load more`), filtered by a substring of the name. */
export function groupsListOptions(query: string) {
  return infiniteQueryOptions({
    queryKey: [...groupsQueryKey, 'list', query],
    queryFn: ({ pageParam, signal }) => listGroups({ query, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function groupQueryOptions(id: string) {
  return queryOptions({ queryKey: [...groupsQueryKey, 'detail', id], queryFn: ({ signal }) => fetchGroup(id, signal) });
}

/** A group's members, page by page (`Load more`), by username. */
export function groupMembersOptions(id: string) {
  return infiniteQueryOptions({
    queryKey: [...groupsQueryKey, 'members', id],
    queryFn: ({ pageParam, signal }) => listGroupMembers(id, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/**
 * After any change to a group: the lists and the group itself, and the caller (a group role may change their own
 * effective role and with it the menus).
 */
export async function refreshGroups(queryClient: QueryClient): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: groupsQueryKey }),
    queryClient.invalidateQueries({ queryKey: ['me'], exact: true }),
  ]);
}
