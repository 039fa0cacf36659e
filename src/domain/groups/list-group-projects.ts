import type { GroupProjectList, GroupProjectListQuery } from '../../shared/api/group-projects.js';
import type { Executor } from '../../storage/database.js';
import type { AccessSubject } from '../access/authorize.js';
import { canViewGroups } from '../access/policies/group-policy.js';
import { canViewProject } from '../access/policies/project-policy.js';
import { DomainError } from '../errors.js';
import { loadProjectAccessViews, selectProjects } from '../projects/project-views.js';
import { findGroup } from './group-records.js';

const defaultLimit = 100;

/**
 * `GET /groups/:id/projects` (docs/product/api.md#groups): the projects a group has a role on, by name, with that
 * role. Whoever may see groups may ask, but only projects the caller can see are listed: a project one cannot see
 * stays invisible here as everywhere (docs/product/security-settings.md#privacy-between-users). At most `limit` rows
 * are read (bounded work); `truncated` says when more exist.
 */
export async function listGroupProjects(
  db: Executor,
  actor: AccessSubject,
  groupId: string,
  query: GroupProjectListQuery,
): Promise<GroupProjectList> {
  if (!canViewGroups(actor)) throw new DomainError('forbidden', 'Seeing groups needs the organization.groups.view permission.');
  await findGroup(db, groupId);
  const limit = query.limit ?? defaultLimit;
  const rows = await selectProjects(db)
    .innerJoin('project_access', 'project_access.project_id', 'projects.id')
    .select('project_access.role')
    .where('project_access.subject_type', '=', 'group')
    .where('project_access.subject_id', '=', groupId)
    .orderBy('projects.name_canonical')
    .orderBy('projects.id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const views = await loadProjectAccessViews(db, page);
  const items = page.flatMap((row) => {
    const view = views.get(row.id);
    return view && canViewProject(actor, view) ? [{ id: row.id, name: row.name, role: row.role }] : [];
  });
  return { items, truncated: rows.length > limit };
}
