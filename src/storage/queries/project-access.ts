import { type ExpressionBuilder, type RawBuilder, sql } from 'kysely';
import type { ProjectRole } from '../../shared/permissions.js';
import { dialectOf, type Executor } from '../database.js';
import type { DialectName } from '../dialects/driver.js';
import { preparedRead } from '../prepared-read.js';
import type { Schema, SubjectType } from '../schema.js';
import type { JsonArray } from './groups-json.js';

/** Everything that reads or writes the `project_access` table: grants of a project role to a user or a group. */

/** `[subject id, role]` of each grant. */
export type GrantsJson = JsonArray<[string, ProjectRole]>;

/**
 * The grants on the project in scope (`projects.id`) to one of `userA` and `userB` (the same user twice when a question
 * is about one person), or to a group one of them is in, as one JSON array (in no particular order: a decision orders paths itself). One probe of the
 * primary key (project_id, subject_type, subject_id) per user or group, and nothing joined: a decision names a group
 * from the subject's own groups, and no grant found this way can be to someone who is gone (the users are the ones
 * asked about; a group's memberships go with it, foreign key on delete cascade).
 */
function grantsAsJson(dialect: DialectName, type: SubjectType, subjects: RawBuilder<unknown>) {
  const found = sql`from project_access pa where pa.project_id = projects.id and pa.subject_type = ${type} and pa.subject_id in (${subjects})`;
  return dialect === 'postgres'
    ? sql<GrantsJson>`(select coalesce(json_agg(json_build_array(pa.subject_id, pa.role)), '[]'::json) ${found})`
    : sql<GrantsJson>`(select json_group_array(json_array(pa.subject_id, pa.role)) ${found})`;
}

/**
 * A project with the grants on it that reach `userA` or `userB`: to them directly, or to a group one of them is in.
 * A decision about a person reads nothing else, so its cost follows that person's grants and groups, not the number of
 * grants on the project (docs/product/speed-targets.md#at-company-scale). One row (none: no such project), the grants
 * aggregated in SQL: as one joined row each, 22 grants cost SQLite twice what they cost as one JSON array.
 */
function projectWithGrantsQuery(db: Executor, dialect: DialectName, projectId: string, userA: string, userB: string) {
  return db
    .selectFrom('projects')
    .select(['projects.id', 'projects.name', 'projects.owner_id', ...grantsReaching(dialect, sql.join([userA, userB]))])
    .where('projects.id', '=', projectId);
}

/**
 * The two grant columns of a project in scope (`projects.id`): `user_grants` to `users` (a list of ids, or a column of
 * the query around it) and `group_grants` to a group one of them is in.
 */
export function grantsReaching(dialect: DialectName, users: RawBuilder<unknown>) {
  const groups = sql`select gm.group_id from group_members gm where gm.user_id in (${users})`;
  return [
    grantsAsJson(dialect, 'user', users).as('user_grants'),
    (dialect === 'postgres' ? groupGrantsProbedAsJson(groups) : grantsAsJson(dialect, 'group', groups)).as('group_grants'),
  ] as const;
}

/**
 * PostgreSQL's `group_grants`: one probe of the primary key for each of the `groups` (distinct: two users asked about
 * may share one), as a LATERAL subquery with a LIMIT (the key holds one grant at most), which PostgreSQL cannot turn
 * into a join. A prepared statement runs a generic plan after its fifth execution; with `IN (…)` the generic plan
 * expected a project to hold a handful of grants and read every group grant of the project to hash-join them with the
 * person's groups: 787 grants read for a person in 50 groups on the bench's company graph, three times the time of the
 * tiny instance for the same answer (docs/decisions/0027-authorize-one-read.md, third amendment).
 */
function groupGrantsProbedAsJson(groups: RawBuilder<unknown>) {
  return sql<GrantsJson>`(select coalesce(json_agg(json_build_array(pa.subject_id, pa.role)), '[]'::json) from (select distinct group_id from (${groups}) reaching) mine cross join lateral (select pa.subject_id, pa.role from project_access pa where pa.project_id = projects.id and pa.subject_type = ${'group'} and pa.subject_id = mine.group_id limit 1) pa)`;
}

/** A project and the grants that reach the users asked about (`user_grants`, `group_grants`). */
export type ProjectWithGrantsRow = Awaited<ReturnType<ReturnType<typeof projectWithGrantsQuery>['execute']>>[number];

/** A project with the grants that reach `users` (one or two), in a transaction. One query. */
export function projectWithGrants(db: Executor, projectId: string, users: readonly [string, string]): Promise<ProjectWithGrantsRow[]> {
  return projectWithGrantsQuery(db, dialectOf(db), projectId, users[0], users[1]).execute();
}

/** `projectWithGrants` as a prepared read, for the per-request path of `/authorize`. */
export const preparedProjectWithGrants = preparedRead<{ projectId: string; userA: string; userB: string }, ProjectWithGrantsRow>(
  'project_access_view',
  (db, param, dialect) => projectWithGrantsQuery(db, dialect, param('projectId'), param('userA'), param('userB')),
);

export interface ProjectGrant {
  project_id: string;
  subjectType: SubjectType;
  subject_id: string;
  role: ProjectRole;
}

/**
 * The grants on each of `projectIds` that reach `userId`, directly or through their groups, user grants first (two
 * queries): a page of projects as one person sees it. Nothing is joined to the grants (decisions name groups from the
 * person's own groups; projectWithGrantsQuery says why no grant here can be to a user or group that is gone).
 */
export async function projectGrants(db: Executor, projectIds: readonly string[], userId: string): Promise<ProjectGrant[]> {
  if (projectIds.length === 0) return [];
  const ids = [...projectIds];
  const userGrants = await db
    .selectFrom('project_access')
    .select(['project_access.project_id', 'project_access.subject_id', 'project_access.role'])
    .where('project_access.project_id', 'in', ids)
    .where('project_access.subject_type', '=', 'user')
    .where('project_access.subject_id', '=', userId)
    .execute();
  const groupGrants = await db
    .selectFrom('project_access')
    .select(['project_access.project_id', 'project_access.subject_id', 'project_access.role'])
    .where('project_access.project_id', 'in', ids)
    .where('project_access.subject_type', '=', 'group')
    .where('project_access.subject_id', 'in', (eb) =>
      eb.selectFrom('group_members').select('group_members.group_id').where('group_members.user_id', '=', userId),
    )
    .execute();
  return [
    ...userGrants.map((g) => ({ ...g, subjectType: 'user' as const })),
    ...groupGrants.map((g) => ({ ...g, subjectType: 'group' as const })),
  ];
}

/** Position after the last row of a keyset page: (sort key, id). */
export interface GrantKey {
  key: string;
  id: string;
}

/** A page of a project's user grants with the users' names and emails, by (username, id). */
export function pageOfUserGrants(db: Executor, projectId: string, after: GrantKey | null, limit: number) {
  let select = db
    .selectFrom('project_access')
    .innerJoin('users', 'users.id', 'project_access.subject_id')
    .select(['users.id', 'users.username', 'users.email', 'users.type', 'project_access.role'])
    .where('project_access.project_id', '=', projectId)
    .where('project_access.subject_type', '=', 'user');
  if (after) select = select.where((eb) => eb(eb.refTuple('users.username', 'users.id'), '>', eb.tuple(after.key, after.id)));
  return select.orderBy('users.username').orderBy('users.id').limit(limit).execute();
}

/** A page of a project's group grants with the groups' names, by (canonical name, id). */
export function pageOfGroupGrants(db: Executor, projectId: string, after: GrantKey | null, limit: number) {
  let select = db
    .selectFrom('project_access')
    .innerJoin('groups', 'groups.id', 'project_access.subject_id')
    .select(['groups.id', 'groups.name', 'groups.name_canonical', 'project_access.role'])
    .where('project_access.project_id', '=', projectId)
    .where('project_access.subject_type', '=', 'group');
  if (after) select = select.where((eb) => eb(eb.refTuple('groups.name_canonical', 'groups.id'), '>', eb.tuple(after.key, after.id)));
  return select.orderBy('groups.name_canonical').orderBy('groups.id').limit(limit).execute();
}

/** Whom a grant is for. */
export interface GrantSubject {
  projectId: string;
  subjectType: SubjectType;
  subjectId: string;
}

export async function findGrantRole(db: Executor, grant: GrantSubject): Promise<ProjectRole | null> {
  const row = await db
    .selectFrom('project_access')
    .select('role')
    .where('project_id', '=', grant.projectId)
    .where('subject_type', '=', grant.subjectType)
    .where('subject_id', '=', grant.subjectId)
    .executeTakeFirst();
  return row?.role ?? null;
}

export async function insertGrant(trx: Executor, grant: GrantSubject, role: ProjectRole, at: string): Promise<void> {
  await trx
    .insertInto('project_access')
    .values({ project_id: grant.projectId, subject_type: grant.subjectType, subject_id: grant.subjectId, role, created_at: at })
    .execute();
}

export async function updateGrantRole(trx: Executor, grant: GrantSubject, role: ProjectRole): Promise<void> {
  await trx
    .updateTable('project_access')
    .set({ role })
    .where('project_id', '=', grant.projectId)
    .where('subject_type', '=', grant.subjectType)
    .where('subject_id', '=', grant.subjectId)
    .execute();
}

export async function deleteGrant(trx: Executor, grant: GrantSubject): Promise<void> {
  await trx
    .deleteFrom('project_access')
    .where('project_id', '=', grant.projectId)
    .where('subject_type', '=', grant.subjectType)
    .where('subject_id', '=', grant.subjectId)
    .execute();
}

/** Deletes every grant to a user or a group (they are being removed); returns how many went. */
export async function deleteGrantsTo(trx: Executor, subjectType: SubjectType, subjectId: string): Promise<number> {
  const deleted = await trx
    .deleteFrom('project_access')
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

/** Deletes every grant on a project (it is being deleted); returns how many went. */
export async function deleteProjectGrants(trx: Executor, projectId: string): Promise<number> {
  const deleted = await trx.deleteFrom('project_access').where('project_id', '=', projectId).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

/** Who holds grants: a user directly, or any of their groups. */
export interface Grantee {
  userId: string;
  groupIds: readonly string[];
}

/** True when the grantee (directly or through a group) holds one of `roles` on any project. */
export async function holdsProjectRoleAnywhere(db: Executor, grantee: Grantee, roles: readonly ProjectRole[]): Promise<boolean> {
  if (roles.length === 0) return false;
  const granted = await db
    .selectFrom('project_access')
    .select('project_id')
    .where('role', 'in', [...roles])
    .where((eb) => grantedTo(eb, grantee))
    .limit(1)
    .executeTakeFirst();
  return granted !== undefined;
}

/** `project_access` rows granted to the grantee directly or through one of their groups. */
export function grantedTo(eb: ExpressionBuilder<Schema, 'project_access'>, grantee: Grantee) {
  return eb.or([
    eb.and([eb('project_access.subject_type', '=', 'user'), eb('project_access.subject_id', '=', grantee.userId)]),
    ...(grantee.groupIds.length > 0
      ? [eb.and([eb('project_access.subject_type', '=', 'group'), eb('project_access.subject_id', 'in', [...grantee.groupIds])])]
      : []),
  ]);
}
