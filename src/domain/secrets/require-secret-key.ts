import type { Services } from '../context.js';
import { DomainError } from '../errors.js';
import type { SecretKeyring } from './secret-keyring.js';

/**
 * The keyring for a feature that stores secrets it must read back (TOTP seeds, identity-provider client secrets, OIDC
 * signing and cookie keys). Without a key (PostgreSQL without ROSTER_SECRET_KEY) the feature refuses to turn on with
 * 503 `secret_key_missing` and a message that says what to set
 * (docs/product/security-settings.md#secrets-the-server-reads-back). Call it where the feature is switched on or used.
 */
export function requireSecretKey(services: Pick<Services, 'secrets'>, feature: string): SecretKeyring {
  const { keyring } = services.secrets;
  if (keyring) return keyring;
  throw new DomainError(
    'secret_key_missing',
    `${feature} needs a secret key, and this server has none: set ROSTER_SECRET_KEY to the same 32-byte base64 key on every node ` +
      '(create one with "roster secrets generate-key", keep a copy apart from the database backups) and restart.',
  );
}
