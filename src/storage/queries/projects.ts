import type { ExpressionBuilder, Insertable, Updateable } from 'kysely';
import { dialectOf, type Executor } from '../database.js';
import type { ProjectsTable, Schema } from '../schema.js';
import { type Grantee, grantedTo } from './project-access.js';

/** Everything that reads or writes the `projects` table (grants on projects are in `project-access.ts`). */

const projectColumns = [
  'projects.id',
  'projects.name',
  'projects.description',
  'projects.owner_id',
  'projects.created_at',
  'projects.name_canonical',
  'owner.username as owner_username',
] as const;

/** Projects with their owner's username; callers add filters, order and limits. */
function selectProjects(db: Executor) {
  return db.selectFrom('projects').innerJoin('users as owner', 'owner.id', 'projects.owner_id').select(projectColumns);
}

/** A project with its owner's username, or undefined. */
export function findProject(db: Executor, id: string) {
  return selectProjects(db).where('projects.id', '=', id).executeTakeFirst();
}

/**
 * Up to this many projects visible to one person, reading them by id and sorting them beats walking every project in
 * name order: the walk reads projects the person cannot see until it has a page, which on a large instance is every
 * project for someone who sees few (a Member with one project of 20,000: 57 req/s, p99 0.9 s, before this bound).
 */
export const visibleSetLimit = 2_000;

/**
 * The ids of the projects `grantee` owns or holds a grant on (directly or through a group), from the owner and subject
 * indexes. `distinct: false` keeps a project once per grant (UNION ALL), which streams: under a LIMIT it reads no
 * more than the limit, where UNION would first read every grant to remove the repeats. The person's own grants and
 * their groups' are two reads: as one with OR, PostgreSQL combined two bitmaps and read every grant from the table
 * (1,257 pages for the count of the bench's company asker, 2.4 ms); apart, each is read from the subject index alone,
 * which holds the project (0.8 ms).
 */
function visibleProjectIds(db: Executor, grantee: Grantee, distinct: boolean) {
  const owned = db.selectFrom('projects').select('projects.id as id').where('projects.owner_id', '=', grantee.userId);
  return grantSources(db, grantee).reduce((all, next) => (distinct ? all.union(next) : all.unionAll(next)), owned);
}

/** The ids of the projects the person's own grants are on, then their groups' (when they are in any). */
function grantSources(db: Executor, grantee: Grantee) {
  const grantsOf = (type: 'user' | 'group', ids: readonly string[]) =>
    db
      .selectFrom('project_access')
      .select('project_access.project_id as id')
      .where('project_access.subject_type', '=', type)
      .where('project_access.subject_id', 'in', [...ids]);
  return [grantsOf('user', [grantee.userId]), ...(grantee.groupIds.length > 0 ? [grantsOf('group', grantee.groupIds)] : [])];
}

type PageFilter = { after: { name: string; id: string } | null; visibleTo: Grantee | null };

/** Projects after `after` in (canonical name, id) order. */
function afterKey(after: NonNullable<PageFilter['after']>) {
  return (eb: ExpressionBuilder<Schema, 'projects'>) =>
    eb(eb.refTuple('projects.name_canonical', 'projects.id'), '>', eb.tuple(after.name, after.id));
}

/**
 * A page of the projects `grantee` can see, read from their ids (`visibleProjectIds`) and sorted: one primary-key probe
 * of `projects` per visible id, never a read of every project. SQLite: a CROSS JOIN, which keeps it, having no
 * statistics, from walking every project in name order and testing each against the ids. PostgreSQL: a LATERAL
 * subquery with a LIMIT (an id names one project), which it cannot turn into a join; as a join, a person in 50 groups
 * that hold some 600 grants between them was planned as a hash join over all 20,000 projects of the bench's company
 * graph, for the one project they see (docs/decisions/0027-authorize-one-read.md, third amendment).
 */
export function visibleProjectsPageQuery(db: Executor, grantee: Grantee, after: PageFilter['after'], limit: number) {
  const visible = visibleProjectIds(db, grantee, true).as('visible');
  const probed =
    dialectOf(db) === 'postgres'
      ? db.selectFrom(visible).innerJoinLateral(
          (eb) => eb.selectFrom('projects').selectAll('projects').whereRef('projects.id', '=', 'visible.id').limit(1).as('projects'),
          (join) => join.onTrue(),
        )
      : db.selectFrom(visible).crossJoin('projects').whereRef('projects.id', '=', 'visible.id');
  let query = probed.innerJoin('users as owner', 'owner.id', 'projects.owner_id').select(projectColumns);
  if (after) query = query.where(afterKey(after));
  return query.orderBy('projects.name_canonical').orderBy('projects.id').limit(limit);
}

/**
 * A page of projects by (canonical name, id) after `after`. With `visibleTo`, only those the grantee owns or holds a
 * grant on (directly or through a group): the SQL narrows the rows, the caller's policy has the last word on each.
 * Its cost follows what the grantee can see, not how many projects there are
 * (docs/product/security-settings.md#bounded-work, docs/product/speed-targets.md#at-company-scale): one read counts
 * the visible projects' grants up to `setLimit` + 1; when that is all of them, only those projects are read and sorted
 * (`visibleProjectsPageQuery`).
 * Someone who sees more than that (an asker in 50 groups of a large company sees thousands) fills a page quickly by
 * walking the name order and testing each project. `setLimit` is a parameter for the tests, which compare both ways.
 */
export async function pageOfProjects(db: Executor, filter: PageFilter, limit: number, setLimit = visibleSetLimit) {
  const { after, visibleTo } = filter;
  if (visibleTo && setLimit > 0) {
    const counted = await db
      .selectFrom(
        visibleProjectIds(db, visibleTo, false)
          .limit(setLimit + 1)
          .as('visible'),
      )
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirst();
    if (Number(counted?.count ?? 0) <= setLimit) return visibleProjectsPageQuery(db, visibleTo, after, limit).execute();
  }
  let select = selectProjects(db);
  if (after) select = select.where(afterKey(after));
  if (visibleTo) {
    const reaches = dialectOf(db) === 'postgres' ? grantOnProjectHashed(db, visibleTo) : grantOnProject(visibleTo);
    select = select.where((eb) => eb.or([eb('projects.owner_id', '=', visibleTo.userId), ...reaches(eb)]));
  }
  return select.orderBy('projects.name_canonical').orderBy('projects.id').limit(limit).execute();
}

type ProjectsInScope = ExpressionBuilder<Schema, 'projects'>;

/** SQLite: a grant on the project in scope reaches `grantee` (one read of the project's grants by the primary key). */
function grantOnProject(grantee: Grantee) {
  return (eb: ProjectsInScope) => [
    eb.exists(
      eb
        .selectFrom('project_access')
        .select('project_access.project_id')
        .whereRef('project_access.project_id', '=', 'projects.id')
        .where((inner) => grantedTo(inner, grantee)),
    ),
  ];
}

/**
 * PostgreSQL: the same test as two hashed sets, the projects of the person's own grants and those of their groups'
 * grants, each read from the subject index alone (it holds the project). As one `EXISTS` with OR, PostgreSQL combined
 * two bitmaps and read every grant from the table to hash them (2,222 pages for the bench's company asker). The walk
 * runs only for someone who sees more than `visibleSetLimit` projects, so reading all of their grants once is bounded
 * by what they can see; a test per project walked would instead follow the projects' grants and the gaps between the
 * visible ones (docs/decisions/0027-authorize-one-read.md, fourth amendment).
 */
function grantOnProjectHashed(db: Executor, grantee: Grantee) {
  return (eb: ProjectsInScope) => grantSources(db, grantee).map((ids) => eb('projects.id', 'in', ids));
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
