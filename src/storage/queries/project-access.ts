import { type ExpressionBuilder, sql } from 'kysely';
import type { ProjectRole } from '../../shared/permissions.js';
import type { Executor } from '../database.js';
import { preparedRead } from '../prepared-read.js';
import type { Schema, SubjectType } from '../schema.js';

/** Everything that reads or writes the `project_access` table: grants of a project role to a user or a group. */

/**
 * A project with the grants on it that reach `userA` or `userB` (the same user twice when a question is about one
 * person): to them directly, or to a group one of them is in. A decision about a person reads nothing else, so its
 * cost follows that person's grants and groups, not the number of grants on the project
 * (docs/product/speed-targets.md#at-company-scale). Two halves: the project with the users' own grants (a left join, so
 * the project's row is there even without any), then the grants to their groups. Each half probes the primary key
 * (project_id, subject_type, subject_id) once per subject instead of reading every grant of the project.
 */
function projectWithGrantsQuery(db: Executor, projectId: string, userA: string, userB: string) {
  const direct = db
    .selectFrom('projects')
    .leftJoin('project_access', (join) =>
      join
        .onRef('project_access.project_id', '=', 'projects.id')
        .on('project_access.subject_type', '=', 'user')
        .on('project_access.subject_id', 'in', [userA, userB]),
    )
    .leftJoin('users', 'users.id', 'project_access.subject_id')
    .select([
      'projects.id',
      'projects.name',
      'projects.owner_id',
      'project_access.subject_type',
      'project_access.subject_id',
      'project_access.role',
      'users.username as user_name',
      sql<string | null>`null`.as('group_name'),
    ])
    .where('projects.id', '=', projectId);
  const throughGroups = db
    .selectFrom('project_access')
    .innerJoin('projects', 'projects.id', 'project_access.project_id')
    .innerJoin('groups', 'groups.id', 'project_access.subject_id')
    .select([
      'projects.id',
      'projects.name',
      'projects.owner_id',
      'project_access.subject_type',
      'project_access.subject_id',
      'project_access.role',
      sql<string | null>`null`.as('user_name'),
      'groups.name as group_name',
    ])
    .where('project_access.project_id', '=', projectId)
    .where('project_access.subject_type', '=', 'group')
    .where('project_access.subject_id', 'in', (eb) =>
      eb.selectFrom('group_members').select('group_members.group_id').where('group_members.user_id', 'in', [userA, userB]),
    );
  return direct.unionAll(throughGroups);
}

/** A project joined to each grant that reaches the users asked about, with the grant's user or group name (one row with nulls for none). */
export type ProjectWithGrantsRow = Awaited<ReturnType<ReturnType<typeof projectWithGrantsQuery>['execute']>>[number];

/** A project with the grants that reach `users` (one or two; no rows: no such project). One query. */
export function projectWithGrants(db: Executor, projectId: string, users: readonly [string, string]): Promise<ProjectWithGrantsRow[]> {
  return projectWithGrantsQuery(db, projectId, users[0], users[1]).execute();
}

/** `projectWithGrants` as a prepared read, for the per-request path of `/authorize`. */
export const preparedProjectWithGrants = preparedRead<{ projectId: string; userA: string; userB: string }, ProjectWithGrantsRow>(
  'project_access_view',
  (db, param) => projectWithGrantsQuery(db, param('projectId'), param('userA'), param('userB')),
);

export interface ProjectGrant {
  project_id: string;
  subjectType: SubjectType;
  subject_id: string;
  role: ProjectRole;
  /** The user's username or the group's name. */
  name: string;
}

/**
 * The grants on each of `projectIds` that reach `userId`, directly or through their groups, joined to the user and group
 * names, user grants first (two queries): a page of projects as one person sees it.
 */
export async function projectGrants(db: Executor, projectIds: readonly string[], userId: string): Promise<ProjectGrant[]> {
  if (projectIds.length === 0) return [];
  const ids = [...projectIds];
  const userGrants = await db
    .selectFrom('project_access')
    .innerJoin('users', 'users.id', 'project_access.subject_id')
    .select(['project_access.project_id', 'project_access.subject_id', 'project_access.role', 'users.username as name'])
    .where('project_access.project_id', 'in', ids)
    .where('project_access.subject_type', '=', 'user')
    .where('project_access.subject_id', '=', userId)
    .execute();
  const groupGrants = await db
    .selectFrom('project_access')
    .innerJoin('groups', 'groups.id', 'project_access.subject_id')
    .select(['project_access.project_id', 'project_access.subject_id', 'project_access.role', 'groups.name as name'])
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
