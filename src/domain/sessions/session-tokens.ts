import { createHash } from 'node:crypto';
import { generateSecret, sha256Hex } from '../auth/secrets.js';

/**
 * A new raw session id (32 random bytes) and the digest the database keeps
 * (docs/product/security-settings.md#sessions-and-browser-security).
 */
export function newSessionId(): { raw: string; digest: string } {
  const raw = generateSecret(32);
  return { raw, digest: sessionDigest(raw) };
}

export function sessionDigest(raw: string): string {
  return sha256Hex(raw);
}

/**
 * The CSRF token of a session, derived from its secret id so nothing extra is stored; different from the stored
 * digest, so a database reader cannot forge it.
 */
export function csrfTokenFor(rawSessionId: string): string {
  return createHash('sha256').update('roster-csrf:').update(rawSessionId).digest('base64url');
}
