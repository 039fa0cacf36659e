import { defaultTokenExpiryDays, type ExpiresInDays } from '../../shared/api/service-accounts.js';

/** The token's expiry: `days` after `now` (90 when not given), or null for a token that never expires. */
export function tokenExpiry(now: Date, days: ExpiresInDays | undefined): { days: number | null; expiresAt: string | null } {
  const chosen = days === undefined ? defaultTokenExpiryDays : days;
  return { days: chosen, expiresAt: chosen === null ? null : new Date(now.getTime() + chosen * 86_400_000).toISOString() };
}
