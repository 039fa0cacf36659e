import type { GroupProjectList } from '../../../src/shared/api/group-projects';
import { apiRequest } from './client';

export type { GroupProjectList } from '../../../src/shared/api/group-projects';

/** The projects a group has a role on, as far as the caller can see them (`GET /groups/:id/projects`). */
export function listGroupProjects(groupId: string, signal?: AbortSignal): Promise<GroupProjectList> {
  return apiRequest(`/groups/${encodeURIComponent(groupId)}/projects`, { signal });
}
