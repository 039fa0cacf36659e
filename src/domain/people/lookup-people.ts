import type { Executor } from '../../storage/database.js';
import { holdsProjectRoleAnywhere } from '../../storage/queries/project-access.js';
import { ownsAnyProject } from '../../storage/queries/projects.js';
import type { AccessSubject } from '../access/authorize.js';
import { canViewPeople } from '../access/policies/people-policy.js';
import { accessManagingProjectRoles, ownersManageProjectAccess } from '../access/policies/project-access-policy.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { readPeoplePage } from './list-people.js';

export interface PersonMatch {
  id: string;
  username: string;
  /** Only for callers who may see the People page; others learn handles, not addresses. */
  email: string | null;
  /** Pickers offer service accounts too, with their badge (docs/product/service-accounts.md). */
  type: 'person' | 'service_account';
}

/**
 * True when the subject may give access to at least one project: they own one (when owners may), or hold a grant of a
 * role with project.access.manage, directly or through a group. Instance-wide access is not looked at here: it comes
 * with organization.people.view, which `canLookUpPeople` checks first.
 */
async function managesAccessToSomeProject(db: Executor, subject: AccessSubject): Promise<boolean> {
  if (ownersManageProjectAccess && (await ownsAnyProject(db, subject.userId))) return true;
  const grantee = { userId: subject.userId, groupIds: subject.groups.map((group) => group.id) };
  return holdsProjectRoleAnywhere(db, grantee, accessManagingProjectRoles);
}

/**
 * `GET /people/lookup`: the first active people whose username or email matches, for pickers. Open to whoever may see
 * people and to project Admins (who must be able to find someone to give access to), as GitLab's user autocomplete is.
 * The People search's rules and bounds apply: one or two characters match prefixes only
 * (docs/product/security-settings.md#bounded-work).
 */
export async function lookupPeople(ctx: OperationContext, query: string, limit: number): Promise<PersonMatch[]> {
  const database = ctx.database;
  const actor = callerSubject(ctx);
  const seesPeople = canViewPeople(actor);
  if (!seesPeople && !(await managesAccessToSomeProject(database.db, actor))) {
    throw new DomainError('forbidden', 'Looking people up needs organization.people.view or project Admin on a project.');
  }
  const { rows } = await readPeoplePage(ctx, { query, status: 'active', type: 'all' }, null, limit);
  return rows.map((row) => ({ id: row.id, username: row.username, email: seesPeople ? row.email : null, type: row.type }));
}
