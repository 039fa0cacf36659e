import type { Executor } from '../../storage/database.js';
import {
  findIdentityProviderRow,
  groupMappingsOf,
  type IdentityProviderRow,
  lockIdentityProvider,
} from '../../storage/queries/identity-providers.js';
import type { Services } from '../context.js';
import { DomainError } from '../errors.js';
import { requireSecretKey } from '../secrets/require-secret-key.js';
import { clientSecretField, identityProvidersFeature } from './client-secret-field.js';
import type { ResolvedMapping } from './identity-provider-rules.js';
import { identityProviderRedirectUri, parseScopes } from './present-identity-provider.js';

/**
 * The provider a write is about, locked for the rest of the transaction (two writers of one provider take turns; the
 * second sees what the first committed, or 404 once it was removed), with its mappings.
 */
export async function loadIdentityProviderForWrite(
  trx: Executor,
  id: string,
): Promise<{ row: IdentityProviderRow; mappings: ResolvedMapping[] }> {
  const row = (await lockIdentityProvider(trx, id)) ? await findIdentityProviderRow(trx, id) : undefined;
  if (!row) throw new DomainError('not_found', 'No identity provider has this id.');
  const mappings = (await groupMappingsOf(trx, [id])).get(id) ?? [];
  return { row, mappings: mappings.map((m) => ({ value: m.value, groupId: m.group_id })) };
}

/** Everything the login flow needs of a provider, with its client secret decrypted. Never sent to a client. */
export interface IdentityProviderLoginConfig {
  id: string;
  label: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  usernameClaim: string;
  emailClaim: string;
  groupsClaim: string;
  createUnknown: boolean;
  linkVerifiedEmail: boolean;
  enforces2fa: boolean;
  /** Provider group value → Roster group ids. */
  groupMappings: Array<{ value: string; groupId: string }>;
  /** Where the provider sends the browser back (register it at the provider). */
  redirectUri: string;
}

/**
 * A provider as the login flow uses it (`/auth/sso/:id/start` and `/callback`): its settings, mappings and decrypted
 * client secret. 404 `not_found` for an unknown id; 503 `secret_key_missing` without a key; a secret that does not
 * decrypt (wrong key, a value moved from another row) throws SecretDecryptionError, naming the row, never the value.
 */
export async function loadIdentityProviderForLogin(
  services: Pick<Services, 'database' | 'secrets' | 'config'>,
  id: string,
): Promise<IdentityProviderLoginConfig> {
  const db = services.database.db;
  const row = await findIdentityProviderRow(db, id);
  if (!row) throw new DomainError('not_found', 'No identity provider has this id.');
  const keyring = requireSecretKey(services, identityProvidersFeature);
  const mappings = (await groupMappingsOf(db, [id])).get(id) ?? [];
  return {
    id: row.id,
    label: row.label,
    issuer: row.issuer,
    clientId: row.client_id,
    clientSecret: keyring.decryptText(clientSecretField(row.id), row.client_secret),
    scopes: parseScopes(row.scopes),
    usernameClaim: row.username_claim,
    emailClaim: row.email_claim,
    groupsClaim: row.groups_claim,
    createUnknown: row.create_unknown === 1,
    linkVerifiedEmail: row.link_verified_email === 1,
    enforces2fa: row.enforces_2fa === 1,
    groupMappings: mappings.map((m) => ({ value: m.value, groupId: m.group_id })),
    redirectUri: identityProviderRedirectUri(services.config.publicUrl, row.id),
  };
}
