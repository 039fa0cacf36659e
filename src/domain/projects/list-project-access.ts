import type { AccessEntry } from '../../shared/api/project-access.js';
import type { Executor } from '../../storage/database.js';
import { type AccessSubject, can } from '../access/authorize.js';
import { whyCannotManageProjectAccess } from '../access/policies/project-access-policy.js';
import { DomainError } from '../errors.js';
import { loadVisibleProject } from './project-views.js';

/**
 * `GET /projects/:id/access` (SPEC §4.5): explicit grants to users and groups, plus the implicit Admins — the project
 * owner and everyone whose effective instance role is Owner or Admin — marked as such and not removable.
 */
export async function listProjectAccess(
  db: Executor,
  actor: AccessSubject,
  projectId: string,
): Promise<{ items: AccessEntry[]; abilities: { manage: boolean } }> {
  const { row, view } = await loadVisibleProject(db, actor, projectId);
  if (!can(actor, 'project.access.view', view)) throw new DomainError('forbidden', 'Seeing who has access needs project.access.view.');

  const grantedUsers = await db
    .selectFrom('project_access')
    .innerJoin('users', 'users.id', 'project_access.subject_id')
    .select(['users.id', 'users.username', 'users.email', 'project_access.role'])
    .where('project_access.project_id', '=', projectId)
    .where('project_access.subject_type', '=', 'user')
    .orderBy('users.username')
    .execute();
  const grantedGroups = await db
    .selectFrom('project_access')
    .innerJoin('groups', 'groups.id', 'project_access.subject_id')
    .select(['groups.id', 'groups.name', 'project_access.role'])
    .where('project_access.project_id', '=', projectId)
    .where('project_access.subject_type', '=', 'group')
    .orderBy('groups.name_canonical')
    .execute();
  const instanceAdmins = await db
    .selectFrom('users')
    .select(['id', 'username', 'email', 'role'])
    .where('status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb('role', 'in', ['owner', 'admin']),
        eb(
          'id',
          'in',
          eb
            .selectFrom('group_members')
            .innerJoin('groups', 'groups.id', 'group_members.group_id')
            .select('group_members.user_id')
            .where('groups.role', '=', 'admin'),
        ),
      ]),
    )
    .orderBy('username')
    .execute();

  const manage = whyCannotManageProjectAccess(actor, view) === null;
  const implicit: AccessEntry[] = [];
  const seen = new Set<string>();
  const owner = await db.selectFrom('users').select(['id', 'username', 'email']).where('id', '=', row.owner_id).executeTakeFirst();
  if (owner) {
    implicit.push({
      subjectType: 'user',
      subject: { id: owner.id, name: owner.username, email: owner.email },
      role: 'admin',
      implicit: true,
      source: 'project owner',
      removable: false,
    });
    seen.add(owner.id);
  }
  for (const admin of instanceAdmins) {
    if (seen.has(admin.id)) continue;
    seen.add(admin.id);
    const source = admin.role === 'owner' ? 'instance Owner' : 'instance Admin';
    implicit.push({
      subjectType: 'user',
      subject: { id: admin.id, name: admin.username, email: admin.email },
      role: 'admin',
      implicit: true,
      source,
      removable: false,
    });
  }
  const explicit: AccessEntry[] = [
    ...grantedUsers.map((g) => ({
      subjectType: 'user' as const,
      subject: { id: g.id, name: g.username, email: g.email },
      role: g.role,
      implicit: false,
      source: 'granted',
      removable: manage,
    })),
    ...grantedGroups.map((g) => ({
      subjectType: 'group' as const,
      subject: { id: g.id, name: g.name, email: null },
      role: g.role,
      implicit: false,
      source: 'granted to group',
      removable: manage,
    })),
  ];
  return { items: [...explicit, ...implicit], abilities: { manage } };
}
