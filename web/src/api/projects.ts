import type { Page } from '../../../src/shared/api/common';
import type { AccessEntry, AccessList, SetAccessBody } from '../../../src/shared/api/project-access';
import type { CreateProjectBody, Project, TransferProjectBody, UpdateProjectBody } from '../../../src/shared/api/projects';
import type { ProjectRole } from './catalogue';
import { apiRequest } from './client';

export type { AccessEntry, AccessList } from '../../../src/shared/api/project-access';
export type { Project } from '../../../src/shared/api/projects';

export type ProjectsPage = Page<Project>;

export type SubjectType = AccessEntry['subjectType'];

const path = (id: string) => `/projects/${encodeURIComponent(id)}`;

/** One keyset page of the projects the caller can see, by name. */
export function listProjects(cursor: string | undefined, limit: number, signal?: AbortSignal): Promise<ProjectsPage> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor) params.set('cursor', cursor);
  return apiRequest(`/projects?${params.toString()}`, { signal });
}

/**
 * A project the caller cannot see answers 404, exactly like one that does not exist
 * (docs/product/roles-and-permissions.md#hidden-projects-answer-404).
 */
export function getProject(id: string, signal?: AbortSignal): Promise<Project> {
  return apiRequest(path(id), { signal });
}

export function createProject(body: CreateProjectBody): Promise<Project> {
  return apiRequest('/projects', { method: 'POST', body });
}

export function updateProject(id: string, body: UpdateProjectBody): Promise<Project> {
  return apiRequest(path(id), { method: 'PATCH', body });
}

export function deleteProject(id: string): Promise<void> {
  return apiRequest(path(id), { method: 'DELETE' });
}

export function transferProject(id: string, userId: string): Promise<Project> {
  return apiRequest(`${path(id)}/owner`, { method: 'PUT', body: { userId } satisfies TransferProjectBody });
}

/**
 * One keyset page of who has access: grants, then implicit Admins. Emails (and the server's Owners and Admins as
 * rows) come only to callers who may see people (docs/product/security-settings.md#privacy-between-users).
 */
export function listProjectAccess(id: string, cursor: string | undefined, signal?: AbortSignal): Promise<AccessList> {
  const params = new URLSearchParams({ limit: '50' });
  if (cursor) params.set('cursor', cursor);
  return apiRequest(`${path(id)}/access?${params.toString()}`, { signal });
}

export function setProjectAccess(id: string, subjectType: SubjectType, subjectId: string, role: ProjectRole): Promise<unknown> {
  return apiRequest(`${path(id)}/access/${subjectType}/${encodeURIComponent(subjectId)}`, {
    method: 'PUT',
    body: { role } satisfies SetAccessBody,
  });
}

export function removeProjectAccess(id: string, subjectType: SubjectType, subjectId: string): Promise<unknown> {
  return apiRequest(`${path(id)}/access/${subjectType}/${encodeURIComponent(subjectId)}`, { method: 'DELETE' });
}
