import { defaultTokenExpiryDays, type ExpiresInDays } from '../../shared/api/service-accounts.js';
import type { Executor } from '../../storage/database.js';
import { replaceUserToken } from '../../storage/queries/api-tokens.js';
import { sha256Hex } from '../auth/secrets.js';
import { apiTokenPrefix, generateApiToken } from '../tokens/api-token-format.js';

/** The token's expiry: `days` after `now` (90 when not given), or null for a token that never expires. */
function tokenExpiry(now: Date, days: ExpiresInDays | undefined): { days: number | null; expiresAt: string | null } {
  const chosen = days === undefined ? defaultTokenExpiryDays : days;
  return { days: chosen, expiresAt: chosen === null ? null : new Date(now.getTime() + chosen * 86_400_000).toISOString() };
}

/**
 * A new `rss_` token expiring per `days`, for creation and regeneration alike: `store` puts its digest (never the
 * token) in place of the account's old one, in the caller's transaction.
 */
export function newServiceAccountToken(now: Date, days: ExpiresInDays | undefined) {
  const expiry = tokenExpiry(now, days);
  const token = generateApiToken('service_account');
  const prefix = apiTokenPrefix(token);
  const store = (trx: Executor, userId: string) =>
    replaceUserToken(trx, { userId, digest: sha256Hex(token), prefix, createdAt: now.toISOString(), expiresAt: expiry.expiresAt });
  return { token, prefix, expiry, store };
}
