import type { WebAuthnCredential as StoredKey } from '@simplewebauthn/server';
import type { WebAuthnCredential } from '../../shared/api/webauthn.js';
import type { WebAuthnCredentialRow } from '../../storage/schema.js';

/** Most keys one person may register: more than anyone carries, few enough to list in every assertion's options. */
export const maxKeysPerPerson = 20;

/** A stored key as the API shows it (never its public key or counter). */
export function presentWebAuthnCredential(row: WebAuthnCredentialRow): WebAuthnCredential {
  return {
    id: row.id,
    name: row.name,
    kind: row.discoverable === 1 ? 'passkey' : 'security_key',
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

/** A stored key as @simplewebauthn/server verifies against it. */
export function verifiableKey(row: WebAuthnCredentialRow): StoredKey {
  return {
    id: row.credential_id,
    publicKey: new Uint8Array(Buffer.from(row.public_key, 'base64url')),
    counter: Number(row.counter),
    transports: transportsOf(row),
  };
}

/** The browser hints stored with a key (an unreadable value counts as none). */
export function transportsOf(row: Pick<WebAuthnCredentialRow, 'transports'>): string[] {
  try {
    const parsed: unknown = JSON.parse(row.transports);
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

/** The WebAuthn user handle of an account: its id (a random UUID, no personal data), as bytes. */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId, 'utf8'));
}

/** A challenge (base64url text as stored) as the bytes the options generators take. */
export function challengeBytes(challenge: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(challenge, 'base64url'));
}
