import type { IdentityProvider } from '../../shared/api/identity-providers.js';
import type { Executor } from '../../storage/database.js';
import {
  findIdentityProviderRow,
  type GroupMappingRow,
  groupMappingsOf,
  type IdentityProviderRow,
} from '../../storage/queries/identity-providers.js';
import { DomainError } from '../errors.js';

/** Where the provider sends the browser back: what an Owner registers at the provider (console address, not /api/v1). */
export function identityProviderRedirectUri(publicUrl: URL, id: string): string {
  return new URL(`/auth/sso/${encodeURIComponent(id)}/callback`, publicUrl).href;
}

/** Scopes as stored (space-separated) → a list. */
export function parseScopes(stored: string): string[] {
  return stored.split(' ').filter((scope) => scope !== '');
}

/** A provider as the API answers it: never its client secret, encrypted or not. */
export function presentIdentityProvider(
  row: IdentityProviderRow,
  mappings: readonly GroupMappingRow[] | undefined,
  publicUrl: URL,
): IdentityProvider {
  return {
    id: row.id,
    label: row.label,
    issuer: row.issuer,
    clientId: row.client_id,
    scopes: parseScopes(row.scopes),
    usernameClaim: row.username_claim,
    emailClaim: row.email_claim,
    groupsClaim: row.groups_claim,
    createUnknown: row.create_unknown === 1,
    linkVerifiedEmail: row.link_verified_email === 1,
    enforces2fa: row.enforces_2fa === 1,
    groupMappings: (mappings ?? []).map((m) => ({ value: m.value, group: { id: m.group_id, name: m.group_name } })),
    redirectUri: identityProviderRedirectUri(publicUrl, row.id),
    hasClientSecret: true,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** One provider as the API answers it, read after the write that changed it; 404 for an unknown id. */
export async function describeIdentityProvider(db: Executor, publicUrl: URL, id: string): Promise<IdentityProvider> {
  const row = await findIdentityProviderRow(db, id);
  if (!row) throw new DomainError('not_found', 'No identity provider has this id.');
  const mappings = await groupMappingsOf(db, [id]);
  return presentIdentityProvider(row, mappings.get(id), publicUrl);
}
