import type { Executor } from '../../storage/database.js';
import type { AccessSubject, ProjectAccessView } from './authorize.js';

/** Reads a user's role and groups fresh from the database (no caching: a demotion applies to the next request). */
export async function loadAccessSubject(db: Executor, userId: string, restricted = false): Promise<AccessSubject | null> {
  const user = await db.selectFrom('users').select(['id', 'username', 'role', 'status']).where('id', '=', userId).executeTakeFirst();
  if (!user) return null;
  const groups = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select(['groups.id', 'groups.name', 'groups.role'])
    .where('group_members.user_id', '=', userId)
    .execute();
  return {
    userId: user.id,
    username: user.username,
    active: user.status === 'active',
    restricted,
    directRole: user.role,
    groups,
  };
}

/** Reads a project with every grant on it, or null when it does not exist. */
export async function loadProjectAccessView(db: Executor, projectId: string): Promise<ProjectAccessView | null> {
  const project = await db.selectFrom('projects').select(['id', 'name', 'owner_id']).where('id', '=', projectId).executeTakeFirst();
  if (!project) return null;
  const userGrants = await db
    .selectFrom('project_access')
    .innerJoin('users', 'users.id', 'project_access.subject_id')
    .select(['project_access.subject_id', 'project_access.role', 'users.username as name'])
    .where('project_access.project_id', '=', projectId)
    .where('project_access.subject_type', '=', 'user')
    .execute();
  const groupGrants = await db
    .selectFrom('project_access')
    .innerJoin('groups', 'groups.id', 'project_access.subject_id')
    .select(['project_access.subject_id', 'project_access.role', 'groups.name as name'])
    .where('project_access.project_id', '=', projectId)
    .where('project_access.subject_type', '=', 'group')
    .execute();
  return {
    id: project.id,
    name: project.name,
    ownerId: project.owner_id,
    grants: [
      ...userGrants.map((g) => ({ subjectType: 'user' as const, subjectId: g.subject_id, subjectName: g.name, role: g.role })),
      ...groupGrants.map((g) => ({ subjectType: 'group' as const, subjectId: g.subject_id, subjectName: g.name, role: g.role })),
    ],
  };
}
