import { Secret, TOTP } from 'otpauth';

/**
 * TOTP as docs/product/security-settings.md#two-factor-authentication fixes it (RFC 6238 through the `otpauth` library):
 * SHA-1, 6 digits, 30-second steps, one step of drift either way. The library computes codes; which step was accepted
 * last, and that a code is accepted once, is Roster's (the `mfa_totp.last_used_step` column).
 */
export const totpParameters = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
const driftSteps = 1;
const issuer = 'Roster';

/** A fresh 160-bit seed (RFC 4226's recommended length), base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://` URI an authenticator app reads from the QR code (the console draws the QR code). */
export function totpUri(secretBase32: string, accountName: string): string {
  return new TOTP({ ...totpParameters, issuer, label: accountName, secret: Secret.fromBase32(secretBase32) }).toString();
}

/** The step a time falls in. */
export function totpStepAt(at: Date): number {
  return Math.floor(at.getTime() / 1000 / totpParameters.period);
}

/**
 * The step whose code `code` is, within one step of `at`, or null. Only 6 digits are ever compared (anything else is
 * refused before any computation).
 */
export function matchTotpStep(secretBase32: string, code: string, at: Date): number | null {
  const digits = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(digits)) return null;
  const totp = new TOTP({ ...totpParameters, secret: Secret.fromBase32(secretBase32) });
  const delta = totp.validate({ token: digits, timestamp: at.getTime(), window: driftSteps });
  return delta === null ? null : totpStepAt(at) + delta;
}
