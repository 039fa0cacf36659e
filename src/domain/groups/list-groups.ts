import type { GroupDetail, GroupView } from '../../shared/api/groups.js';
import { pageOfGroups } from '../../storage/queries/groups.js';
import type { AccessSubject } from '../access/authorize.js';
import { canViewGroups, whyCannotManageGroups } from '../access/policies/group-policy.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { findGroup, memberCount, presentGroup } from './group-records.js';

function assertCanView(actor: AccessSubject): void {
  if (!canViewGroups(actor)) throw new DomainError('forbidden', 'Seeing groups needs the organization.groups.view permission.');
}

function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof value === 'string') return value;
  } catch {}
  throw new DomainError('validation_failed', 'The cursor is not valid.', {
    errors: [{ field: '/cursor', message: 'Not a cursor from this API.' }],
  });
}

/** Groups by name (keyset pagination on the unique canonical name), with member counts. */
export async function listGroups(
  ctx: OperationContext,
  options: { query?: string; cursor?: string; limit?: number },
): Promise<{ items: GroupView[]; nextCursor: string | null }> {
  const db = ctx.database.db;
  const actor = callerSubject(ctx);
  assertCanView(actor);
  const limit = options.limit ?? 50;
  const after = decodeCursor(options.cursor);
  const rows = await pageOfGroups(db, { after, contains: options.query?.trim().toLowerCase() }, limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => presentGroup(row, Number(row.members))),
    nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify(last.name_canonical)).toString('base64url') : null,
  };
}

/** One group and what the caller may do with it; its members are paged by `listGroupMembers`. */
export async function getGroup(ctx: OperationContext, groupId: string): Promise<GroupDetail> {
  const db = ctx.database.db;
  const actor = callerSubject(ctx);
  assertCanView(actor);
  const group = await findGroup(db, groupId);
  return { ...presentGroup(group, await memberCount(db, groupId)), abilities: { manage: whyCannotManageGroups(actor) === null } };
}
