import type { GroupProjectList } from '../../../src/shared/api/group-projects';
import { api, dataOf } from './client';

export type { GroupProjectList } from '../../../src/shared/api/group-projects';

/** The projects a group has a role on, as far as the caller can see them (`GET /groups/:id/projects`). */
export function listGroupProjects(groupId: string, signal?: AbortSignal): Promise<GroupProjectList> {
  return dataOf(api.GET('/groups/{id}/projects', { params: { path: { id: groupId } }, signal }));
}
