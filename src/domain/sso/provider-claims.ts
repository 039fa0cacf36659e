import type { IdentityProviderLoginConfig } from '../identity-providers/load-identity-provider.js';
import { type ParsedEmail, parseEmail } from '../people/identity.js';

/** What Roster reads of a provider's answer (docs/sso.md#claims). */
export interface ProviderClaims {
  subject: string;
  /** The email claim, parsed; null when absent or not an email address. */
  email: ParsedEmail | null;
  /** `email_verified === true` exactly: a string "true", a missing claim or anything else is unverified. */
  emailVerified: boolean;
  username: string | null;
  /** The groups claim's string values; null when the claim is absent (groups then stay as they are). */
  groups: string[] | null;
  amr: string[];
}

/**
 * Authentication methods (RFC 8176) that show a second factor, or multiple factors: `mfa`; one-time codes (`otp`,
 * `sms`, `tel`); hardware keys and smart cards (`hwk`, `sc`); biometrics (`fpt`, `face`, `iris`, `retina`, `vbm`).
 * `pwd`, `pin`, `kba`, `swk` and friends alone are one factor.
 */
const secondFactorMethods = new Set(['mfa', 'otp', 'sms', 'tel', 'hwk', 'sc', 'fpt', 'face', 'iris', 'retina', 'vbm']);

export function amrShowsSecondFactor(amr: readonly string[]): boolean {
  return amr.some((method) => secondFactorMethods.has(method));
}

/** The configured claims that are missing from `claims` (then UserInfo is asked, when the provider has it). */
export function missingClaims(provider: IdentityProviderLoginConfig, claims: Record<string, unknown>): string[] {
  return [provider.usernameClaim, provider.emailClaim, provider.groupsClaim, 'email_verified'].filter((name) => claims[name] === undefined);
}

function parseEmailOrNull(value: unknown): ParsedEmail | null {
  if (typeof value !== 'string') return null;
  try {
    return parseEmail(value);
  } catch {
    return null;
  }
}

function stringList(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is string => typeof item === 'string' && item.length > 0 && item.length <= 1000);
}

/** Reads the configured claims out of the ID token's claims (merged with UserInfo's for the missing ones). */
export function readProviderClaims(provider: IdentityProviderLoginConfig, claims: Record<string, unknown>): ProviderClaims {
  const username = claims[provider.usernameClaim];
  return {
    subject: String(claims.sub),
    email: parseEmailOrNull(claims[provider.emailClaim]),
    emailVerified: claims.email_verified === true,
    username: typeof username === 'string' && username.trim() !== '' ? username.trim() : null,
    groups: stringList(claims[provider.groupsClaim]),
    amr: stringList(claims.amr) ?? [],
  };
}
