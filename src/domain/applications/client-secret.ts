import { randomInt } from 'node:crypto';
import type { ApplicationRow } from '../../storage/queries/applications.js';
import { constantTimeEqual, sha256Hex } from '../auth/secrets.js';

/**
 * Client ids and client secrets of applications (SPEC §12.1): the secret is shown once and only its SHA-256 digest is
 * stored, so the provider cannot compare secrets itself (no `client_secret_jwt`); it asks `clientSecretMatches`.
 */

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** How long the secret replaced by a rotation keeps working: its successor is deployed meanwhile. */
export const previousSecretOverlapMs = 24 * 60 * 60 * 1000;

function randomBase62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += base62[randomInt(62)];
  return out;
}

/** `app_` + 24 random base62 characters (143 bits): public, but not guessable. */
export function generateClientId(): string {
  return `app_${randomBase62(24)}`;
}

/** `rcs_` + 40 random base62 characters (238 bits) from the OS CSPRNG. */
export function generateClientSecret(): string {
  return `rcs_${randomBase62(40)}`;
}

/** What is stored of a secret: its SHA-256, hex (a secret of 238 random bits needs no slow hash). */
export function clientSecretDigest(secret: string): string {
  return sha256Hex(secret);
}

/** The secret columns of an application, as `findApplicationByClientId` returns them. */
export type ApplicationSecrets = Pick<ApplicationRow, 'secret_digest' | 'previous_secret_digest' | 'previous_secret_expires_at'>;

/**
 * Whether `presentedSecret` is the application's client secret: its digest equals the current digest, or the previous
 * one while that has not expired (24 hours after the rotation, `now` < `previous_secret_expires_at`). Both digests are
 * compared in constant time, always, so the answer's timing says nothing about which one matched. A public application
 * (no digest) matches nothing.
 */
export function clientSecretMatches(application: ApplicationSecrets, presentedSecret: string, now: Date): boolean {
  const presented = clientSecretDigest(presentedSecret);
  const current = application.secret_digest !== null && constantTimeEqual(presented, application.secret_digest);
  const previousValid =
    application.previous_secret_digest !== null &&
    application.previous_secret_expires_at !== null &&
    now.getTime() < Date.parse(application.previous_secret_expires_at);
  const previous = application.previous_secret_digest !== null && constantTimeEqual(presented, application.previous_secret_digest);
  return current || (previous && previousValid);
}
