import { identityProviderSecretColumn } from '../../storage/secrets/encrypted-columns.js';
import type { SecretField } from '../secrets/secret-keyring.js';

/** The feature name in the 503 `secret_key_missing` message. */
export const identityProvidersFeature = 'Identity providers (single sign-on)';

/** Where a provider's client secret lives: the additional authenticated data of its encryption (§5.9). */
export function clientSecretField(providerId: string): SecretField {
  return { table: identityProviderSecretColumn.table, column: identityProviderSecretColumn.column, rowId: providerId };
}
