import type { Page } from '../../../src/shared/api/common';
import type { GroupView } from '../../../src/shared/api/groups';
import { apiRequest } from './client';

export type { GroupView } from '../../../src/shared/api/groups';

export type GroupsPage = Page<GroupView>;

/** One keyset page of groups by name; `query` matches a part of the name. */
export function listGroups(
  request: { query?: string; cursor?: string | undefined; limit?: number },
  signal?: AbortSignal,
): Promise<GroupsPage> {
  const params = new URLSearchParams({ limit: String(request.limit ?? 50) });
  if (request.query) params.set('query', request.query);
  if (request.cursor) params.set('cursor', request.cursor);
  return apiRequest(`/groups?${params.toString()}`, { signal });
}
