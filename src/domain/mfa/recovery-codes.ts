import { randomUUID } from 'node:crypto';
import { generateCrockford, normalizeCrockford } from '../auth/secrets.js';
import type { SecretKeyring } from '../secrets/secret-keyring.js';

/**
 * Recovery codes (docs/product/security-settings.md#two-factor-authentication): ten per account, 10 characters of
 * Crockford base32 each (50 bits), shown once, stored as HMACs under the secret key — a bare digest of 50 bits would be
 * crackable offline from a stolen database. The MAC covers the account id too, so a row copied to another account does
 * not match there.
 */
export const recoveryCodeCount = 10;
const recoveryCodeLength = 10;
const macPurpose = 'mfa-recovery-code';

/** How codes are shown: two groups of five, `ABCDE-FGHJK`. Typed back in any case, with or without the hyphen. */
function formatRecoveryCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** A new set: the codes to show once, and the rows to store. */
export function newRecoveryCodes(keyring: SecretKeyring, userId: string): { shown: string[]; rows: Array<{ id: string; mac: string }> } {
  const codes = Array.from({ length: recoveryCodeCount }, () => generateCrockford(recoveryCodeLength));
  return {
    shown: codes.map(formatRecoveryCode),
    rows: codes.map((code) => ({ id: randomUUID(), mac: keyring.mac(macPurpose, `${userId}:${code}`) })),
  };
}

/** The canonical form of a typed recovery code, or null when it cannot be one. */
export function parseRecoveryCode(text: string): string | null {
  const code = normalizeCrockford(text);
  return code !== null && code.length === recoveryCodeLength ? code : null;
}

/** Which stored row (if any) a typed code is: every unused row is compared (at most ten HMACs). */
export function findRecoveryCode<T extends { code_mac: string }>(
  keyring: SecretKeyring,
  userId: string,
  code: string,
  rows: readonly T[],
): T | null {
  let found: T | null = null;
  for (const row of rows) if (keyring.verifyMac(macPurpose, `${userId}:${code}`, row.code_mac)) found = row;
  return found;
}
