import type { Explanation } from '../../../src/shared/api/authorize';
import type { Permission, PermissionScope } from './catalogue';
import { apiRequest } from './client';

export type { Explanation } from '../../../src/shared/api/authorize';

export interface PermissionInfo {
  name: string;
  scope: PermissionScope;
  description: string;
}

/** `GET /permissions`: every permission of the catalogue with its description (needs organization.custom_roles.view). */
export function listPermissions(signal?: AbortSignal): Promise<{ items: PermissionInfo[] }> {
  return apiRequest('/permissions', { signal });
}

export interface ExplainQuestion {
  userId: string;
  permission: Permission;
  projectId?: string | undefined;
}

/** `GET /authorize/explain`: may this user do this (on this project)? With every path that grants it (SPEC §4.8). */
export function explainAccess(question: ExplainQuestion, signal?: AbortSignal): Promise<Explanation> {
  const params = new URLSearchParams({ userId: question.userId, permission: question.permission });
  if (question.projectId) params.set('projectId', question.projectId);
  return apiRequest(`/authorize/explain?${params.toString()}`, { signal });
}
