import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * 20 characters of Crockford base32 from the OS CSPRNG (docs/product/security-settings.md#temporary-passwords): 100
 * bits, easy to read out loud.
 */
export function generateTemporaryPassword(): string {
  return generateCrockford(20);
}

/** `length` characters of Crockford base32 from the OS CSPRNG (temporary passwords, recovery codes). */
export function generateCrockford(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += crockford[randomInt(crockford.length)];
  return out;
}

/**
 * Crockford base32 as people type it: case ignored, I and L read as 1, O as 0, hyphens and spaces dropped; null when
 * anything else is left.
 */
export function normalizeCrockford(text: string): string | null {
  const cleaned = text.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return /^[0-9A-HJKMNP-TV-Z]*$/.test(cleaned) ? cleaned : null;
}

/** A fresh 32-byte secret (session ids), base64url. */
export function generateSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
