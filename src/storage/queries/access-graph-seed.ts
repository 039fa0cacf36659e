import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { Database, Executor } from '../database.js';
import type { GroupMembersTable, GroupsTable, ProjectAccessTable, ProjectsTable } from '../schema.js';

/**
 * Bulk reads and writes of `roster admin seed --projects/--groups/--grants/--memberships` (docs/product/running.md):
 * what the graph is drawn from, in a stable order (names, not ids, so that one seed draws the same graph on another
 * database), and multi-row inserts that skip a row an existing one already holds.
 */

/** Active people (not service accounts), by username: who may own projects, join groups and hold grants. */
export async function activePeopleByName(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('type', '=', 'person')
    .where('status', '=', 'active')
    .orderBy('username')
    .execute();
  return rows.map((row) => row.id);
}

export async function projectsByName(db: Executor): Promise<string[]> {
  return (await db.selectFrom('projects').select('id').orderBy('name_canonical').execute()).map((row) => row.id);
}

export async function groupsByName(db: Executor): Promise<string[]> {
  return (await db.selectFrom('groups').select('id').orderBy('name_canonical').execute()).map((row) => row.id);
}

/** How many rows the table holds: seeded names continue after them, so a second run adds instead of colliding. */
export async function countRows(db: Executor, table: 'projects' | 'groups'): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertProjectsSkippingTaken(trx: Executor, rows: ReadonlyArray<Insertable<ProjectsTable>>): Promise<number> {
  const inserted = await trx
    .insertInto('projects')
    .values([...rows])
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

export async function insertGroupsSkippingTaken(trx: Executor, rows: ReadonlyArray<Insertable<GroupsTable>>): Promise<number> {
  const inserted = await trx
    .insertInto('groups')
    .values([...rows])
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

export async function insertMembershipsSkippingTaken(trx: Executor, rows: ReadonlyArray<Insertable<GroupMembersTable>>): Promise<number> {
  const result = await trx
    .insertInto('group_members')
    .values([...rows])
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

export async function insertGrantsSkippingTaken(trx: Executor, rows: ReadonlyArray<Insertable<ProjectAccessTable>>): Promise<number> {
  const result = await trx
    .insertInto('project_access')
    .values([...rows])
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/**
 * Fresh planner statistics on PostgreSQL after a bulk load (autovacuum would take a while), so that the authorization
 * queries are planned for the graph as it now is. SQLite plans without statistics unless ANALYZE ever ran, and a
 * running Roster never runs it, so neither does the seed.
 */
export async function analyzeAccessGraph(database: Database, trx: Executor): Promise<void> {
  if (database.name === 'postgres') await sql`ANALYZE projects, groups, group_members, project_access`.execute(trx);
}
