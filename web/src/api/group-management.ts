import type {
  CreateGroupBody,
  GroupDetail,
  GroupMemberEntry,
  GroupMemberList,
  GroupView,
  UpdateGroupBody,
} from '../../../src/shared/api/groups';
import { api, completed, dataOf } from './client';

// Managing one group (docs/product/console.md#groups). Listing lives in ./groups.ts (shared with the People page),
// people search in ./people.ts.

export type { CreateGroupBody, GroupDetail, GroupMemberEntry, GroupMemberList, GroupView, UpdateGroupBody };

/** The instance role a group gives its members: Admin, Member or none (never Owner, docs/product/data.md#groups). */
export type GroupRole = GroupView['role'];

/** One group and what the caller may do with it (`abilities.manage`). */
export function fetchGroup(id: string, signal?: AbortSignal): Promise<GroupDetail> {
  return dataOf(api.GET('/groups/{id}', { params: { path: { id } }, signal }));
}

/**
 * One keyset page of a group's members by username. Each member carries email, own role and join date only when the
 * caller may see people (docs/product/security-settings.md#privacy-between-users); otherwise id and username.
 */
export function listGroupMembers(id: string, cursor: string | undefined, signal?: AbortSignal): Promise<GroupMemberList> {
  return dataOf(api.GET('/groups/{id}/members', { params: { path: { id }, query: { limit: 50, cursor } }, signal }));
}

export function createGroup(body: CreateGroupBody): Promise<GroupView> {
  return dataOf(api.POST('/groups', { body }));
}

export function updateGroup(id: string, body: UpdateGroupBody): Promise<GroupView> {
  return dataOf(api.PATCH('/groups/{id}', { params: { path: { id } }, body }));
}

export function deleteGroup(id: string): Promise<void> {
  return completed(api.DELETE('/groups/{id}', { params: { path: { id } } }));
}

export function addGroupMember(groupId: string, userId: string): Promise<{ changed: boolean }> {
  return dataOf(api.PUT('/groups/{id}/members/{userId}', { params: { path: { id: groupId, userId } } }));
}

export function removeGroupMember(groupId: string, userId: string): Promise<{ changed: boolean }> {
  return dataOf(api.DELETE('/groups/{id}/members/{userId}', { params: { path: { id: groupId, userId } } }));
}
