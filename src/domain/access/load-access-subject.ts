import type { Database, Executor } from '../../storage/database.js';
import { preparedRead } from '../../storage/prepared-read.js';
import type { AccessSubject, ProjectAccessView } from './authorize.js';

/** One row per group of the user (one row with null group columns when there is none). */
export interface AccessSubjectRow {
  id: string;
  username: string;
  role: AccessSubject['directRole'];
  status: string;
  group_id: string | null;
  group_name: string | null;
  group_role: AccessSubject['groups'][number]['role'] | null;
}

/** The user columns of `AccessSubjectRow`; with the group columns below, for queries that join `users` → group_members → groups. */
const accessSubjectColumns = ['users.id', 'users.username', 'users.role', 'users.status'] as const;

/** The group columns of `AccessSubjectRow`, for a query that already selects the user's columns another way. */
export const accessSubjectGroupColumns = ['groups.id as group_id', 'groups.name as group_name', 'groups.role as group_role'] as const;

/** Builds the subject from the rows of a user-with-groups join; null when there are none (no such user). */
export function accessSubjectFromRows(rows: readonly AccessSubjectRow[], restricted: boolean): AccessSubject | null {
  const user = rows[0];
  if (!user) return null;
  const groups: Array<AccessSubject['groups'][number]> = [];
  for (const row of rows) {
    if (row.group_id !== null && row.group_name !== null) groups.push({ id: row.group_id, name: row.group_name, role: row.group_role });
  }
  return {
    userId: user.id,
    username: user.username,
    active: user.status === 'active',
    restricted,
    directRole: user.role,
    groups,
  };
}

function accessSubjectQuery(db: Executor, userId: string) {
  return db
    .selectFrom('users')
    .leftJoin('group_members', 'group_members.user_id', 'users.id')
    .leftJoin('groups', 'groups.id', 'group_members.group_id')
    .select([...accessSubjectColumns, ...accessSubjectGroupColumns])
    .where('users.id', '=', userId);
}

/**
 * Reads a user's role and groups fresh from the database (no caching: a demotion applies to the next request), in one
 * query. Inside transactions; requests use `readAccessSubject`.
 */
export async function loadAccessSubject(db: Executor, userId: string, restricted = false): Promise<AccessSubject | null> {
  return accessSubjectFromRows(await accessSubjectQuery(db, userId).execute(), restricted);
}

const accessSubjectRows = preparedRead<{ userId: string }, AccessSubjectRow>('access_subject', (db, param) =>
  accessSubjectQuery(db, param('userId')),
);

/** `loadAccessSubject` as a prepared read, for the per-request path (SPEC §8); committed data only. */
export async function readAccessSubject(database: Database, userId: string, restricted = false): Promise<AccessSubject | null> {
  return accessSubjectFromRows(await accessSubjectRows(database, { userId }), restricted);
}

function projectAccessQuery(db: Executor, projectId: string) {
  return db
    .selectFrom('projects')
    .leftJoin('project_access', 'project_access.project_id', 'projects.id')
    .leftJoin('users', (join) => join.onRef('users.id', '=', 'project_access.subject_id').on('project_access.subject_type', '=', 'user'))
    .leftJoin('groups', (join) => join.onRef('groups.id', '=', 'project_access.subject_id').on('project_access.subject_type', '=', 'group'))
    .select([
      'projects.id',
      'projects.name',
      'projects.owner_id',
      'project_access.subject_type',
      'project_access.subject_id',
      'project_access.role',
      'users.username as user_name',
      'groups.name as group_name',
    ])
    .where('projects.id', '=', projectId);
}

type ProjectAccessRow = Awaited<ReturnType<ReturnType<typeof projectAccessQuery>['execute']>>[number];

/** Reads a project with every grant on it, or null when it does not exist. One query (it runs on every authorize call). */
export async function loadProjectAccessView(db: Executor, projectId: string): Promise<ProjectAccessView | null> {
  return projectAccessViewFromRows(await projectAccessQuery(db, projectId).execute());
}

const projectAccessRows = preparedRead<{ projectId: string }, ProjectAccessRow>('project_access_view', (db, param) =>
  projectAccessQuery(db, param('projectId')),
);

/** `loadProjectAccessView` as a prepared read, for the per-request path of `/authorize` (SPEC §8). */
export async function readProjectAccessView(database: Database, projectId: string): Promise<ProjectAccessView | null> {
  return projectAccessViewFromRows(await projectAccessRows(database, { projectId }));
}

function projectAccessViewFromRows(rows: readonly ProjectAccessRow[]): ProjectAccessView | null {
  const project = rows[0];
  if (!project) return null;
  const grants: Array<ProjectAccessView['grants'][number]> = [];
  // User grants first, then group grants, as before; a grant whose subject no longer exists is ignored.
  for (const type of ['user', 'group'] as const) {
    for (const row of rows) {
      const name = type === 'user' ? row.user_name : row.group_name;
      if (row.subject_type === type && row.subject_id !== null && row.role !== null && name !== null) {
        grants.push({ subjectType: type, subjectId: row.subject_id, subjectName: name, role: row.role });
      }
    }
  }
  return { id: project.id, name: project.name, ownerId: project.owner_id, grants };
}
