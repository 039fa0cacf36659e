import type { ListApplicationsQuery, ListApplicationsResponse } from '../../shared/api/applications.js';
import { type ApplicationKey, allowedGroupsOfApplications, pageOfApplications } from '../../storage/queries/applications.js';
import { whyCannotViewApplications } from '../access/policies/application-policy.js';
import { assertAllowed } from '../access/policies/enforce.js';
import { callerSubject, type OperationContext } from '../context.js';
import { invalidCursor } from '../people/people-cursor.js';
import { presentApplication } from './present-application.js';

const defaultPageSize = 50;

function encodeCursor(key: ApplicationKey): string {
  return Buffer.from(JSON.stringify([key.name, key.id])).toString('base64url');
}

function decodeCursor(value: string): ApplicationKey {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      return { name: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through: not a cursor this server made
  }
  return invalidCursor();
}

/**
 * `GET /applications` (docs/product/api.md#applications): one keyset page in name order, each with its allowed groups
 * and what the caller may do to it. Needs organization.applications.view.
 */
export async function listApplications(ctx: OperationContext, query: ListApplicationsQuery): Promise<ListApplicationsResponse> {
  const actor = callerSubject(ctx);
  assertAllowed(whyCannotViewApplications(actor));
  const db = ctx.database.db;
  const limit = query.limit ?? defaultPageSize;
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await pageOfApplications(db, after, limit + 1);
  const page = rows.slice(0, limit);
  const groups = await allowedGroupsOfApplications(
    db,
    page.map((row) => row.id),
  );
  const now = ctx.now();
  const items = page.map((row) => presentApplication(row, groups.get(row.id), actor, now));
  const last = page.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ name: last.name, id: last.id }) : null };
}
