import type {
  CreateGroupBody,
  GroupDetail,
  GroupMemberEntry,
  GroupMemberList,
  GroupView,
  UpdateGroupBody,
} from '../../../src/shared/api/groups';
import { apiRequest } from './client';

// Managing one group (docs/product/console.md#groups). Listing lives in ./groups.ts (shared with the People page),
// people search in ./people.ts.

export type { CreateGroupBody, GroupDetail, GroupMemberEntry, GroupMemberList, GroupView, UpdateGroupBody };

/** The instance role a group gives its members: Admin, Member or none (never Owner, docs/product/data.md#groups). */
export type GroupRole = GroupView['role'];

const groupPath = (id: string) => `/groups/${encodeURIComponent(id)}`;

/** One group and what the caller may do with it (`abilities.manage`). */
export function fetchGroup(id: string, signal?: AbortSignal): Promise<GroupDetail> {
  return apiRequest<GroupDetail>(groupPath(id), { signal });
}

/**
 * One keyset page of a group's members by username. Each member carries email, own role and join date only when the
 * caller may see people (docs/product/security-settings.md#privacy-between-users); otherwise id and username.
 */
export function listGroupMembers(id: string, cursor: string | undefined, signal?: AbortSignal): Promise<GroupMemberList> {
  const params = new URLSearchParams({ limit: '50' });
  if (cursor) params.set('cursor', cursor);
  return apiRequest<GroupMemberList>(`${groupPath(id)}/members?${params.toString()}`, { signal });
}

export function createGroup(body: CreateGroupBody): Promise<GroupView> {
  return apiRequest<GroupView>('/groups', { method: 'POST', body });
}

export function updateGroup(id: string, body: UpdateGroupBody): Promise<GroupView> {
  return apiRequest<GroupView>(groupPath(id), { method: 'PATCH', body });
}

export function deleteGroup(id: string): Promise<void> {
  return apiRequest<void>(groupPath(id), { method: 'DELETE' });
}

export function addGroupMember(groupId: string, userId: string): Promise<{ changed: boolean }> {
  return apiRequest(`${groupPath(groupId)}/members/${encodeURIComponent(userId)}`, { method: 'PUT' });
}

export function removeGroupMember(groupId: string, userId: string): Promise<{ changed: boolean }> {
  return apiRequest(`${groupPath(groupId)}/members/${encodeURIComponent(userId)}`, { method: 'DELETE' });
}
