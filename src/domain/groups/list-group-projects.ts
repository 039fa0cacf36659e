import type { GroupProjectList, GroupProjectListQuery } from '../../shared/api/group-projects.js';
import { projectsGrantedToGroup } from '../../storage/queries/projects.js';
import { canViewGroups } from '../access/policies/group-policy.js';
import { canViewProject } from '../access/policies/project-policy.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { loadProjectAccessViews } from '../projects/project-views.js';
import { findGroup } from './group-records.js';

const defaultLimit = 100;

/**
 * `GET /groups/:id/projects` (docs/product/api.md#groups): the projects a group has a role on, by name, with that
 * role. Whoever may see groups may ask, but only projects the caller can see are listed: a project one cannot see
 * stays invisible here as everywhere (docs/product/security-settings.md#privacy-between-users). At most `limit` rows
 * are read (bounded work); `truncated` says when more exist.
 */
export async function listGroupProjects(ctx: OperationContext, groupId: string, query: GroupProjectListQuery): Promise<GroupProjectList> {
  const db = ctx.database.db;
  const actor = callerSubject(ctx);
  if (!canViewGroups(actor)) throw new DomainError('forbidden', 'Seeing groups needs the organization.groups.view permission.');
  await findGroup(db, groupId);
  const limit = query.limit ?? defaultLimit;
  const rows = await projectsGrantedToGroup(db, groupId, limit + 1);
  const page = rows.slice(0, limit);
  const views = await loadProjectAccessViews(db, page, actor);
  const items = page.flatMap((row) => {
    const view = views.get(row.id);
    return view && canViewProject(actor, view) ? [{ id: row.id, name: row.name, role: row.role }] : [];
  });
  return { items, truncated: rows.length > limit };
}
