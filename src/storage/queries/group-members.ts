import type { OrganizationRole } from '../../shared/permissions.js';
import type { Executor } from '../database.js';

/** Everything that reads or writes the `group_members` table: who is in which group. */

export async function addGroupMember(trx: Executor, groupId: string, userId: string, at: string): Promise<void> {
  await trx.insertInto('group_members').values({ group_id: groupId, user_id: userId, created_at: at }).execute();
}

export async function removeGroupMember(trx: Executor, groupId: string, userId: string): Promise<void> {
  await trx.deleteFrom('group_members').where('group_id', '=', groupId).where('user_id', '=', userId).execute();
}

/** Deletes every membership of a group (it is being deleted). */
export async function deleteGroupMemberships(trx: Executor, groupId: string): Promise<void> {
  await trx.deleteFrom('group_members').where('group_id', '=', groupId).execute();
}

/** Deletes every membership of a user (they are being removed); returns how many went. */
export async function deleteUserMemberships(trx: Executor, userId: string): Promise<number> {
  const deleted = await trx.deleteFrom('group_members').where('user_id', '=', userId).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

export async function groupMemberIds(db: Executor, groupId: string): Promise<string[]> {
  const rows = await db.selectFrom('group_members').select('user_id').where('group_id', '=', groupId).execute();
  return rows.map((row) => row.user_id);
}

export async function countGroupMembers(db: Executor, groupId: string): Promise<number> {
  const row = await db
    .selectFrom('group_members')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('group_id', '=', groupId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A page of a group's members with their account columns, by (username, id), after `after`. */
export function pageOfGroupMembers(db: Executor, groupId: string, after: { username: string; id: string } | null, limit: number) {
  let select = db
    .selectFrom('group_members')
    .innerJoin('users', 'users.id', 'group_members.user_id')
    .select(['users.id', 'users.username', 'users.email', 'users.type', 'users.role', 'group_members.created_at'])
    .where('group_members.group_id', '=', groupId);
  if (after) select = select.where((eb) => eb(eb.refTuple('users.username', 'users.id'), '>', eb.tuple(after.username, after.id)));
  return select.orderBy('users.username').orderBy('users.id').limit(limit).execute();
}

/** Groups of each of `userIds`, with their instance roles (for effective roles and the Groups column). */
export async function groupsOfUsers(db: Executor, userIds: readonly string[]) {
  const byUser = new Map<string, Array<{ id: string; name: string; role: Exclude<OrganizationRole, 'owner'> | null }>>();
  if (userIds.length === 0) return byUser;
  const rows = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select(['group_members.user_id', 'groups.id', 'groups.name', 'groups.role'])
    .where('group_members.user_id', 'in', [...userIds])
    .orderBy('groups.name_canonical')
    .execute();
  for (const row of rows) {
    const list = byUser.get(row.user_id) ?? [];
    list.push({ id: row.id, name: row.name, role: row.role });
    byUser.set(row.user_id, list);
  }
  return byUser;
}
