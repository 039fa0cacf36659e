import type { ListProjectsQuery, Project } from '../../shared/api/projects.js';
import { pageOfProjects } from '../../storage/queries/projects.js';
import { canViewProject, seesEveryProject } from '../access/policies/project-policy.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { loadProjectAccessViews, presentProject } from './project-views.js';

const defaultPageSize = 50;

function encodeCursor(key: { name: string; id: string }): string {
  return Buffer.from(JSON.stringify([key.name, key.id])).toString('base64url');
}

function decodeCursor(value: string): { name: string; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      return { name: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through: not base64url JSON
  }
  const message = 'The cursor is not valid; start again without one.';
  throw new DomainError('validation_failed', message, { errors: [{ field: '/cursor', message }] });
}

/**
 * `GET /projects` (docs/product/console.md#projects): the projects the caller can see, by name, keyset-paged. Owners
 * and Admins see all; others see what they own or were granted directly or through a group. The SQL narrows the rows,
 * `authorize` has the last word on each.
 */
export async function listProjects(
  ctx: OperationContext,
  query: ListProjectsQuery,
): Promise<{ items: Project[]; nextCursor: string | null }> {
  const db = ctx.database.db;
  const actor = callerSubject(ctx);
  const limit = query.limit ?? defaultPageSize;
  const visibleTo = seesEveryProject(actor) ? null : { userId: actor.userId, groupIds: actor.groups.map((group) => group.id) };
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await pageOfProjects(db, { after, visibleTo }, limit + 1);
  const page = rows.slice(0, limit);
  const views = await loadProjectAccessViews(db, page, actor);
  const items = page.flatMap((row) => {
    const view = views.get(row.id);
    return view && canViewProject(actor, view) ? [presentProject(actor, row, view)] : [];
  });
  const last = page.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ name: last.name_canonical, id: last.id }) : null };
}
