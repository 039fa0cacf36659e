import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../database.js';
import type { GroupsTable } from '../schema.js';

/** Everything that reads or writes the `groups` table (members are in `group-members.ts`). */

export function findGroupRow(db: Executor, id: string) {
  return db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findGroupName(db: Executor, id: string): Promise<string | null> {
  const row = await db.selectFrom('groups').select('name').where('id', '=', id).executeTakeFirst();
  return row?.name ?? null;
}

export async function insertGroup(trx: Executor, row: Insertable<GroupsTable>): Promise<void> {
  await trx.insertInto('groups').values(row).execute();
}

export async function updateGroupRow(trx: Executor, id: string, change: Updateable<GroupsTable>): Promise<void> {
  await trx.updateTable('groups').set(change).where('id', '=', id).execute();
}

export async function deleteGroupRow(trx: Executor, id: string): Promise<void> {
  await trx.deleteFrom('groups').where('id', '=', id).execute();
}

/**
 * A page of groups by canonical name after `after`, with member counts; `contains` (lower case) narrows to names that
 * contain it.
 */
export function pageOfGroups(db: Executor, filter: { after: string | null; contains?: string | undefined }, limit: number) {
  let query = db
    .selectFrom('groups')
    .leftJoin('group_members', 'group_members.group_id', 'groups.id')
    .select((eb) => [
      'groups.id',
      'groups.name',
      'groups.name_canonical',
      'groups.description',
      'groups.role',
      'groups.created_at',
      eb.fn.count<string | number>('group_members.user_id').as('members'),
    ])
    .groupBy(['groups.id', 'groups.name', 'groups.name_canonical', 'groups.description', 'groups.role', 'groups.created_at'])
    .orderBy('groups.name_canonical')
    .limit(limit);
  if (filter.after) query = query.where('groups.name_canonical', '>', filter.after);
  if (filter.contains) query = query.where('groups.name_canonical', 'like', `%${filter.contains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return query.execute();
}
