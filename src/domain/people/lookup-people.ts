import type { Database, Executor } from '../../storage/database.js';
import type { AccessSubject } from '../access/authorize.js';
import { canViewPeople } from '../access/policies/people-policy.js';
import { DomainError } from '../errors.js';
import { readPeoplePage } from './list-people.js';

export interface PersonMatch {
  id: string;
  username: string;
  /** Only for callers who may see the People page; others learn handles, not addresses. */
  email: string | null;
}

/** True when the subject may manage access to at least one project: they own one or hold project Admin on one. */
async function administersAnyProject(db: Executor, subject: AccessSubject): Promise<boolean> {
  const owned = await db.selectFrom('projects').select('id').where('owner_id', '=', subject.userId).limit(1).executeTakeFirst();
  if (owned) return true;
  const groupIds = subject.groups.map((group) => group.id);
  const granted = await db
    .selectFrom('project_access')
    .select('project_id')
    .where('role', '=', 'admin')
    .where((eb) =>
      eb.or([
        eb.and([eb('subject_type', '=', 'user'), eb('subject_id', '=', subject.userId)]),
        ...(groupIds.length > 0 ? [eb.and([eb('subject_type', '=', 'group'), eb('subject_id', 'in', groupIds)])] : []),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return granted !== undefined;
}

/**
 * `GET /people/lookup`: the first active people whose username or email matches, for pickers. Open to whoever may see
 * people and to project Admins (who must be able to find someone to give access to), as GitLab's user autocomplete is.
 * The People search's rules and bounds apply: one or two characters match prefixes only (SPEC §5.8).
 */
export async function lookupPeople(database: Database, actor: AccessSubject, query: string, limit: number): Promise<PersonMatch[]> {
  const seesPeople = canViewPeople(actor);
  if (!seesPeople && !(await administersAnyProject(database.db, actor))) {
    throw new DomainError('forbidden', 'Looking people up needs organization.people.view or project Admin on a project.');
  }
  const { rows } = await readPeoplePage(database, { query, status: 'active' }, null, limit);
  return rows.map((row) => ({ id: row.id, username: row.username, email: seesPeople ? row.email : null }));
}
