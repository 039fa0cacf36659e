import type { Page } from '../../../src/shared/api/common';
import type { AccessChange, AccessEntry, AccessList } from '../../../src/shared/api/project-access';
import type { CreateProjectBody, Project, UpdateProjectBody } from '../../../src/shared/api/projects';
import type { ProjectRole } from './catalogue';
import { api, completed, dataOf } from './client';

export type { AccessEntry, AccessList } from '../../../src/shared/api/project-access';
export type { Project } from '../../../src/shared/api/projects';

export type ProjectsPage = Page<Project>;

export type SubjectType = AccessEntry['subjectType'];

/** One keyset page of the projects the caller can see, by name. */
export function listProjects(cursor: string | undefined, limit: number, signal?: AbortSignal): Promise<ProjectsPage> {
  return dataOf(api.GET('/projects', { params: { query: { cursor, limit } }, signal }));
}

/**
 * A project the caller cannot see answers 404, exactly like one that does not exist
 * (docs/product/roles-and-permissions.md#hidden-projects-answer-404).
 */
export function getProject(id: string, signal?: AbortSignal): Promise<Project> {
  return dataOf(api.GET('/projects/{id}', { params: { path: { id } }, signal }));
}

export function createProject(body: CreateProjectBody): Promise<Project> {
  return dataOf(api.POST('/projects', { body }));
}

export function updateProject(id: string, body: UpdateProjectBody): Promise<Project> {
  return dataOf(api.PATCH('/projects/{id}', { params: { path: { id } }, body }));
}

export function deleteProject(id: string): Promise<void> {
  return completed(api.DELETE('/projects/{id}', { params: { path: { id } } }));
}

export function transferProject(id: string, userId: string): Promise<Project> {
  return dataOf(api.PUT('/projects/{id}/owner', { params: { path: { id } }, body: { userId } }));
}

/**
 * One keyset page of who has access: grants, then implicit Admins. Emails (and the server's Owners and Admins as
 * rows) come only to callers who may see people (docs/product/security-settings.md#privacy-between-users).
 */
export function listProjectAccess(id: string, cursor: string | undefined, signal?: AbortSignal): Promise<AccessList> {
  return dataOf(api.GET('/projects/{id}/access', { params: { path: { id }, query: { limit: 50, cursor } }, signal }));
}

export function setProjectAccess(id: string, subjectType: SubjectType, subjectId: string, role: ProjectRole): Promise<AccessChange> {
  return dataOf(
    api.PUT('/projects/{id}/access/{subjectType}/{subjectId}', { params: { path: { id, subjectType, subjectId } }, body: { role } }),
  );
}

export function removeProjectAccess(id: string, subjectType: SubjectType, subjectId: string): Promise<AccessChange> {
  return dataOf(api.DELETE('/projects/{id}/access/{subjectType}/{subjectId}', { params: { path: { id, subjectType, subjectId } } }));
}
