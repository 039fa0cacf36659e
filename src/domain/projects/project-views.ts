import type { Project } from '../../shared/api/projects.js';
import type { Executor } from '../../storage/database.js';
import { projectGrants } from '../../storage/queries/project-access.js';
import { findProject } from '../../storage/queries/projects.js';
import type { AccessSubject, ProjectAccessView } from '../access/authorize.js';
import { loadProjectAccessView } from '../access/load-access-subject.js';
import { canViewProject, projectAbilities } from '../access/policies/project-policy.js';
import { DomainError } from '../errors.js';

export interface ProjectRow {
  id: string;
  name: string;
  description: string;
  owner_id: string;
  owner_username: string;
  created_at: string;
}

/** The public shape of a project, with what `actor` may do to it. */
export function presentProject(actor: AccessSubject, row: ProjectRow, view: ProjectAccessView): Project {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    ownerId: row.owner_id,
    owner: { id: row.owner_id, username: row.owner_username },
    createdAt: row.created_at,
    abilities: projectAbilities(actor, view),
  };
}

/**
 * The project and its access view, or 404 `not_found` when it does not exist or `actor` may not see it: a project
 * the caller cannot see answers exactly like one that does not exist
 * (docs/product/roles-and-permissions.md#project-permissions).
 */
export async function loadVisibleProject(
  db: Executor,
  actor: AccessSubject,
  id: string,
): Promise<{ row: ProjectRow; view: ProjectAccessView }> {
  const found = await loadProject(db, id, actor);
  if (!found || !canViewProject(actor, found.view)) throw new DomainError('not_found', 'No project with this id, or you cannot see it.');
  return found;
}

/**
 * The project and its access view for `actor`, or null; no access check (the answer to a change, e.g. after giving it
 * away).
 */
export async function loadProject(
  db: Executor,
  id: string,
  actor: AccessSubject,
): Promise<{ row: ProjectRow; view: ProjectAccessView } | null> {
  const view = await loadProjectAccessView(db, id, [actor.userId]);
  const row = view ? await findProject(db, id) : undefined;
  return view && row ? { row, view } : null;
}

/** Access views of many projects for `actor` in two queries (the list page), instead of two per project. */
export async function loadProjectAccessViews(
  db: Executor,
  rows: readonly ProjectRow[],
  actor: AccessSubject,
): Promise<Map<string, ProjectAccessView>> {
  const grants = new Map<string, Array<ProjectAccessView['grants'][number]>>(rows.map((row) => [row.id, []]));
  for (const grant of await projectGrants(
    db,
    rows.map((row) => row.id),
    actor.userId,
  )) {
    grants.get(grant.project_id)?.push({ subjectType: grant.subjectType, subjectId: grant.subject_id, role: grant.role });
  }
  return new Map(rows.map((row) => [row.id, { id: row.id, name: row.name, ownerId: row.owner_id, grants: grants.get(row.id) ?? [] }]));
}

/** Project names are unique compared case-insensitively (docs/product/data.md#names-of-projects-and-groups). */
export function canonicalProjectName(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase();
}

/** Trims a project name; 400 when nothing is left. */
export function parseProjectName(input: string): { name: string; canonical: string } {
  const name = input.normalize('NFKC').trim();
  if (name.length === 0) {
    const message = 'Give the project a name.';
    throw new DomainError('validation_failed', message, { errors: [{ field: '/name', message }] });
  }
  return { name, canonical: canonicalProjectName(name) };
}

export const nameTaken = () => new DomainError('name_taken', 'Another project already has this name.');
