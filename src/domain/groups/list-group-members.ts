import type { GroupMemberEntry, GroupMemberList, GroupMemberListQuery } from '../../shared/api/groups.js';
import { pageOfGroupMembers } from '../../storage/queries/group-members.js';
import { canViewGroups } from '../access/policies/group-policy.js';
import { canViewPeople } from '../access/policies/people-policy.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { findGroup } from './group-records.js';

const defaultPageSize = 50;

function encodeCursor(key: { username: string; id: string }): string {
  return Buffer.from(JSON.stringify([key.username, key.id])).toString('base64url');
}

function decodeCursor(value: string): { username: string; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      return { username: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through: not base64url JSON
  }
  const message = 'The cursor is not valid; start again without one.';
  throw new DomainError('validation_failed', message, { errors: [{ field: '/cursor', message }] });
}

/**
 * `GET /groups/:id/members` (docs/product/console.md#groups, docs/product/security-settings.md#privacy-between-users):
 * a group's members by username, keyset-paged. Whoever may see groups learns who is in one; only a caller with
 * organization.people.view also gets their email, own instance role and when they joined — everyone else gets id and
 * username, built field by field so nothing more can slip through.
 */
export async function listGroupMembers(ctx: OperationContext, groupId: string, query: GroupMemberListQuery): Promise<GroupMemberList> {
  const db = ctx.database.db;
  const actor = callerSubject(ctx);
  if (!canViewGroups(actor)) throw new DomainError('forbidden', 'Seeing groups needs the organization.groups.view permission.');
  await findGroup(db, groupId);
  const limit = query.limit ?? defaultPageSize;
  const rows = await pageOfGroupMembers(db, groupId, query.cursor ? decodeCursor(query.cursor) : null, limit + 1);
  const page = rows.slice(0, limit);
  const seesPeople = canViewPeople(actor);
  const items = page.map(
    (row): GroupMemberEntry =>
      seesPeople
        ? { id: row.id, username: row.username, email: row.email, type: row.type, role: row.role, addedAt: row.created_at }
        : { id: row.id, username: row.username, type: row.type },
  );
  const last = page.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ username: last.username, id: last.id }) : null };
}
