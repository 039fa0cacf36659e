import type { Explanation } from '../../../src/shared/api/authorize';
import type { PermissionList, PermissionView } from '../../../src/shared/api/roles';
import type { Permission } from './catalogue';
import { api, dataOf } from './client';

export type { Explanation } from '../../../src/shared/api/authorize';

/** One permission of the catalogue with its description, as `GET /permissions` lists it. */
export type PermissionInfo = PermissionView;

/** `GET /permissions`: every permission of the catalogue with its description (needs organization.custom_roles.view). */
export function listPermissions(signal?: AbortSignal): Promise<PermissionList> {
  return dataOf(api.GET('/permissions', { signal }));
}

export interface ExplainQuestion {
  userId: string;
  permission: Permission;
  projectId?: string | undefined;
}

/**
 * `GET /authorize/explain`: may this user do this (on this project)? With every path that grants it
 * (docs/product/console.md#explain-access).
 */
export function explainAccess(question: ExplainQuestion, signal?: AbortSignal): Promise<Explanation> {
  const { userId, permission, projectId } = question;
  return dataOf(api.GET('/authorize/explain', { params: { query: { userId, permission, projectId } }, signal }));
}
