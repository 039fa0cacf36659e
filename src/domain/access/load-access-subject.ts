import type { Database, Executor } from '../../storage/database.js';
import {
  type AccessSubjectRow,
  accessSubjectRows,
  preparedAccessSubjectRows,
  type TokenProjectColumns,
} from '../../storage/queries/access-subjects.js';
import { parseGroupsJson, parseJsonArray } from '../../storage/queries/groups-json.js';
import { type ProjectWithGrantsRow, preparedProjectWithGrants, projectWithGrants } from '../../storage/queries/project-access.js';
import type { AccessSubject, ProjectAccessView } from './authorize.js';

/** Builds the subject from the user's row (its groups in `groups_json`); null when there is none (no such user). */
export function accessSubjectFromRows(rows: readonly AccessSubjectRow[], restricted: boolean): AccessSubject | null {
  const user = rows[0];
  if (!user) return null;
  const groups = parseGroupsJson(user.groups_json).map(([id, name, role]) => ({ id, name, role }));
  return {
    userId: user.id,
    username: user.username,
    type: user.type,
    active: user.status === 'active' && user.deactivated_at === null,
    deactivated: user.deactivated_at !== null,
    restricted,
    directRole: user.role,
    groups,
    mfa: {
      enabled: Number(user.mfa_enabled) === 1,
      policy: user.mfa_policy ?? 'none',
      graceDays: Number(user.mfa_grace_days ?? 0),
      graceStartsAt: [user.created_at, user.mfa_reset_at, user.mfa_policy_changed_at].reduce<string>(
        (latest, at) => (at !== null && at > latest ? at : latest),
        user.created_at,
      ),
    },
  };
}

/** Where a read runs: inside a transaction (any executor), or a `Database` for a prepared read on committed data. */
type ReadSource = Executor | Database;

const isDatabase = (source: ReadSource): source is Database => 'readPrepared' in source;

/**
 * Reads a user's role and groups fresh from the database (no caching: a demotion applies to the next request), in one
 * query. Given a transaction it reads there (re-checks inside writes); given the `Database` it runs the same query as a
 * prepared read, the per-request path (docs/product: speed targets).
 */
export async function loadAccessSubject(source: ReadSource, userId: string, restricted = false): Promise<AccessSubject | null> {
  const rows = isDatabase(source) ? await preparedAccessSubjectRows(source, { userId }) : await accessSubjectRows(source, userId);
  return accessSubjectFromRows(rows, restricted);
}

/**
 * A project with the grants that reach the users a decision is about (the one asked about and the one asking, who may
 * be the same), or null when it does not exist. One query (it runs on every authorize call): in a transaction, or
 * prepared on the `Database`. The view decides only for those users: a grant to anyone else is not in it.
 */
export async function loadProjectAccessView(
  source: ReadSource,
  projectId: string,
  forUsers: readonly [string] | readonly [string, string],
): Promise<ProjectAccessView | null> {
  const [userA, userB = userA] = forUsers;
  const rows = isDatabase(source)
    ? await preparedProjectWithGrants(source, { projectId, userA, userB })
    : await projectWithGrants(source, projectId, [userA, userB]);
  const project = rows[0];
  return project ? projectAccessViewFromRow(project) : null;
}

/** The decision's view of a project from its row (the grants as JSON, however the row was read). */
export function projectAccessViewFromRow(project: ProjectWithGrantsRow): ProjectAccessView {
  // User grants first, then group grants; projectRolesOf orders the paths.
  const grants = [
    ...parseJsonArray(project.user_grants).map(([subjectId, role]) => ({ subjectType: 'user' as const, subjectId, role })),
    ...parseJsonArray(project.group_grants).map(([subjectId, role]) => ({ subjectType: 'group' as const, subjectId, role })),
  ];
  return { id: project.id, name: project.name, ownerId: project.owner_id, grants };
}

/** The project a bearer-token read carried beside the token (docs/decisions/0027), or null when there is no such project. */
export function projectAccessViewFromTokenRow(row: TokenProjectColumns | undefined): ProjectAccessView | null {
  if (!row?.project_id || row.project_name === null || row.project_owner_id === null) return null;
  return projectAccessViewFromRow({
    id: row.project_id,
    name: row.project_name,
    owner_id: row.project_owner_id,
    user_grants: row.user_grants,
    group_grants: row.group_grants,
  });
}
