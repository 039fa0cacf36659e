import type { Page } from '../../../src/shared/api/common';
import type { GroupView } from '../../../src/shared/api/groups';
import { api, dataOf } from './client';

export type { GroupView } from '../../../src/shared/api/groups';

export type GroupsPage = Page<GroupView>;

/** One keyset page of groups by name; `query` matches a part of the name. */
export function listGroups(
  request: { query?: string; cursor?: string | undefined; limit?: number },
  signal?: AbortSignal,
): Promise<GroupsPage> {
  const { query, cursor, limit = 50 } = request;
  return dataOf(api.GET('/groups', { params: { query: { query, cursor, limit } }, signal }));
}
