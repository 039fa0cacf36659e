import type { Insertable, Updateable } from 'kysely';
import type { Executor } from '../database.js';
import type { ProjectsTable } from '../schema.js';
import { type Grantee, grantedTo } from './project-access.js';

/** Everything that reads or writes the `projects` table (grants on projects are in `project-access.ts`). */

/** Projects with their owner's username; callers add filters, order and limits. */
function selectProjects(db: Executor) {
  return db
    .selectFrom('projects')
    .innerJoin('users as owner', 'owner.id', 'projects.owner_id')
    .select([
      'projects.id',
      'projects.name',
      'projects.description',
      'projects.owner_id',
      'projects.created_at',
      'projects.name_canonical',
      'owner.username as owner_username',
    ]);
}

/** A project with its owner's username, or undefined. */
export function findProject(db: Executor, id: string) {
  return selectProjects(db).where('projects.id', '=', id).executeTakeFirst();
}

/**
 * A page of projects by (canonical name, id) after `after`. With `visibleTo`, only those the grantee owns or holds a
 * grant on (directly or through a group): the SQL narrows the rows, the caller's policy has the last word on each.
 */
export function pageOfProjects(
  db: Executor,
  filter: { after: { name: string; id: string } | null; visibleTo: Grantee | null },
  limit: number,
) {
  let select = selectProjects(db);
  const { after, visibleTo } = filter;
  if (after) select = select.where((eb) => eb(eb.refTuple('projects.name_canonical', 'projects.id'), '>', eb.tuple(after.name, after.id)));
  if (visibleTo) {
    select = select.where((eb) =>
      eb.or([
        eb('projects.owner_id', '=', visibleTo.userId),
        eb.exists(
          eb
            .selectFrom('project_access')
            .select('project_access.project_id')
            .whereRef('project_access.project_id', '=', 'projects.id')
            .where((inner) => grantedTo(inner, visibleTo)),
        ),
      ]),
    );
  }
  return select.orderBy('projects.name_canonical').orderBy('projects.id').limit(limit).execute();
}

/** Projects a group holds a grant on, with that role, by (canonical name, id); at most `limit`. */
export function projectsGrantedToGroup(db: Executor, groupId: string, limit: number) {
  return selectProjects(db)
    .innerJoin('project_access', 'project_access.project_id', 'projects.id')
    .select('project_access.role')
    .where('project_access.subject_type', '=', 'group')
    .where('project_access.subject_id', '=', groupId)
    .orderBy('projects.name_canonical')
    .orderBy('projects.id')
    .limit(limit)
    .execute();
}

/** True when a project other than `exceptId` has this canonical name. */
export async function projectNameTaken(db: Executor, canonical: string, exceptId?: string): Promise<boolean> {
  let query = db.selectFrom('projects').select('id').where('name_canonical', '=', canonical);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

/** The projects a user owns, by name. */
export function projectsOwnedBy(db: Executor, userId: string): Promise<Array<{ id: string; name: string }>> {
  return db.selectFrom('projects').select(['id', 'name']).where('owner_id', '=', userId).orderBy('name_canonical').execute();
}

export async function ownsAnyProject(db: Executor, userId: string): Promise<boolean> {
  const owned = await db.selectFrom('projects').select('id').where('owner_id', '=', userId).limit(1).executeTakeFirst();
  return owned !== undefined;
}

export async function insertProject(trx: Executor, row: Insertable<ProjectsTable>): Promise<void> {
  await trx.insertInto('projects').values(row).execute();
}

export async function updateProjectRow(trx: Executor, id: string, change: Updateable<ProjectsTable>): Promise<void> {
  await trx.updateTable('projects').set(change).where('id', '=', id).execute();
}

export async function deleteProjectRow(trx: Executor, id: string): Promise<void> {
  await trx.deleteFrom('projects').where('id', '=', id).execute();
}
