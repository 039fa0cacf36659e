import type { ListIdentityProvidersQuery, ListIdentityProvidersResponse } from '../../shared/api/identity-providers.js';
import { groupMappingsOf, type IdentityProviderKey, pageOfIdentityProviders } from '../../storage/queries/identity-providers.js';
import { assertAllowed } from '../access/policies/enforce.js';
import { whyCannotManageIdentityProviders } from '../access/policies/identity-provider-policy.js';
import { callerSubject, type OperationContext } from '../context.js';
import { invalidCursor } from '../people/people-cursor.js';
import { presentIdentityProvider } from './present-identity-provider.js';

const defaultPageSize = 50;

function encodeCursor(key: IdentityProviderKey): string {
  return Buffer.from(JSON.stringify([key.label, key.id])).toString('base64url');
}

function decodeCursor(value: string): IdentityProviderKey {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      return { label: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through: not a cursor this server made
  }
  return invalidCursor();
}

/**
 * `GET /identity-providers` (docs/sso.md): one keyset page in label order, each with its group mappings and redirect
 * URI, never a secret. Needs organization.identity_providers.manage.
 */
export async function listIdentityProviders(
  ctx: OperationContext,
  query: ListIdentityProvidersQuery,
): Promise<ListIdentityProvidersResponse> {
  assertAllowed(whyCannotManageIdentityProviders(callerSubject(ctx)));
  const db = ctx.database.db;
  const limit = query.limit ?? defaultPageSize;
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await pageOfIdentityProviders(db, after, limit + 1);
  const page = rows.slice(0, limit);
  const mappings = await groupMappingsOf(
    db,
    page.map((row) => row.id),
  );
  const items = page.map((row) => presentIdentityProvider(row, mappings.get(row.id), ctx.config.publicUrl));
  const last = page.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor({ label: last.label, id: last.id }) : null };
}
