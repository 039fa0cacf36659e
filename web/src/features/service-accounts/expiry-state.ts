/** A token is flagged this many days before it expires (docs/product/console.md#service-accounts). */
export const expiryWarningDays = 14;

const day = 24 * 60 * 60 * 1000;

export type ExpiryState = 'never' | 'valid' | 'soon' | 'expired';

/** Where a token stands at `now`: never expires, valid, within the warning window, or expired. */
export function expiryState(expiresAt: string | null, now: number): ExpiryState {
  if (expiresAt === null) return 'never';
  const left = Date.parse(expiresAt) - now;
  if (left <= 0) return 'expired';
  return left <= expiryWarningDays * day ? 'soon' : 'valid';
}

/** The expiry in words: "Token expires in 3 days", "Token expired on 1 Mar 2027", "Token never expires". */
export function expirySentence(expiresAt: string | null, now: number): string {
  if (expiresAt === null) return 'Token never expires';
  const state = expiryState(expiresAt, now);
  const date = new Date(expiresAt).toLocaleDateString(undefined, { dateStyle: 'medium' });
  if (state === 'expired') return `Token expired on ${date}`;
  if (state === 'soon') {
    const days = Math.ceil((Date.parse(expiresAt) - now) / day);
    return days <= 1 ? 'Token expires within a day' : `Token expires in ${days} days`;
  }
  return `Token expires on ${date}`;
}
