import type { ListServiceAccountsQuery, ServiceAccount } from '../../shared/api/service-accounts.js';
import { groupsOfUsers } from '../../storage/queries/group-members.js';
import { pageOfServiceAccounts, type ServiceAccountKey } from '../../storage/queries/service-accounts.js';
import type { AccessSubject } from '../access/authorize.js';
import { canViewServiceAccounts } from '../access/policies/service-account-policy.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { normalizeSearchTerm } from '../people/list-people.js';
import { invalidCursor } from '../people/people-cursor.js';
import { presentServiceAccount } from './present-service-account.js';

const defaultPageSize = 50;

function encodeCursor(key: ServiceAccountKey): string {
  return Buffer.from(JSON.stringify([key.name, key.id])).toString('base64url');
}

function decodeCursor(value: string): ServiceAccountKey {
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
 * `GET /service-accounts` (docs/product/service-accounts.md): one keyset page in name order, each with its token's
 * metadata and what the caller may do to it. Needs organization.service_accounts.view.
 */
export async function listServiceAccounts(
  ctx: OperationContext,
  query: ListServiceAccountsQuery,
): Promise<{ items: ServiceAccount[]; nextCursor: string | null }> {
  const actor = callerSubject(ctx);
  if (!canViewServiceAccounts(actor)) {
    throw new DomainError('forbidden', 'You need the organization.service_accounts.view permission to see service accounts.');
  }
  const db = ctx.database.db;
  const limit = query.limit ?? defaultPageSize;
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await pageOfServiceAccounts(
    db,
    { status: query.status ?? 'active', prefix: normalizeSearchTerm(query.query) },
    after,
    limit + 1,
  );
  const page = rows.slice(0, limit);
  const groups = await groupsOfUsers(
    db,
    page.map((row) => row.id),
  );
  const items = page.map((row) => {
    const subject: AccessSubject = {
      userId: row.id,
      username: row.username,
      type: 'service_account',
      active: row.status === 'active' && row.deactivated_at === null,
      deactivated: row.deactivated_at !== null,
      restricted: false,
      directRole: row.role,
      groups: groups.get(row.id) ?? [],
    };
    return presentServiceAccount(row, subject, actor);
  });
  const last = page.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ name: last.username, id: last.id }) : null };
}
