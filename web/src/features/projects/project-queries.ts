import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { getProject, listProjectAccess, listProjects } from '../../api/projects';

export const projectKeys = {
  all: ['projects'] as const,
  lists: () => [...projectKeys.all, 'list'] as const,
  detail: (id: string) => [...projectKeys.all, 'detail', id] as const,
  access: (id: string) => [...projectKeys.all, 'access', id] as const,
};

/** Keyset pages of the projects the caller can see, by name. */
export function projectListOptions() {
  return infiniteQueryOptions({
    queryKey: projectKeys.lists(),
    queryFn: ({ pageParam, signal }) => listProjects(pageParam, 50, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function projectOptions(id: string) {
  return queryOptions({ queryKey: projectKeys.detail(id), queryFn: ({ signal }) => getProject(id, signal) });
}

/** Who has access to the project, page by page (`Load more`). */
export function projectAccessOptions(id: string) {
  return infiniteQueryOptions({
    queryKey: projectKeys.access(id),
    queryFn: ({ pageParam, signal }) => listProjectAccess(id, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
