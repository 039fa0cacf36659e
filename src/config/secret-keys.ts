import { inspect } from 'node:util';

/**
 * A 32-byte key for the secret store (docs/product/security-settings.md#secrets-the-server-reads-back). The bytes are
 * reachable only through `bytes()`: printing, logging or serialising the object shows `[redacted]`, so a Config dumped
 * into a log or an error body cannot carry the key.
 */
export class SecretKeyMaterial {
  readonly #bytes: Buffer;

  constructor(bytes: Buffer) {
    if (bytes.length !== 32) throw new Error('a secret key has exactly 32 bytes');
    this.#bytes = Buffer.from(bytes);
  }

  bytes(): Buffer {
    return this.#bytes;
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'SecretKeyMaterial [redacted]';
  }
}

/** The keys from the environment: the current one (encrypts) and older ones (still decrypt, for rotation). */
export interface SecretKeysConfig {
  current: SecretKeyMaterial | null;
  old: SecretKeyMaterial[];
}

const base64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Reads a key written as base64 (standard or URL-safe, padding optional). Returns null for anything that is not
 * exactly 32 bytes; callers report the variable's name, never its value.
 */
export function parseSecretKey(text: string): SecretKeyMaterial | null {
  const trimmed = text.trim();
  if (!base64.test(trimmed)) return null;
  const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === 32 ? new SecretKeyMaterial(bytes) : null;
}

/** `ROSTER_SECRET_KEY` and `ROSTER_SECRET_KEYS_OLD` (comma-separated) → keys; problems name the variable only. */
export function parseSecretKeysConfig(current: string | undefined, old: string | undefined, problems: string[]): SecretKeysConfig {
  const keys: SecretKeysConfig = { current: null, old: [] };
  if (current !== undefined) {
    keys.current = parseSecretKey(current);
    if (!keys.current) {
      problems.push('ROSTER_SECRET_KEY must be 32 random bytes in base64 (44 characters; create one with "roster secrets generate-key")');
    }
  }
  const entries = (old ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  entries.forEach((entry, index) => {
    const key = parseSecretKey(entry);
    if (key) keys.old.push(key);
    else problems.push(`ROSTER_SECRET_KEYS_OLD entry ${index + 1} is not a 32-byte base64 key`);
  });
  return keys;
}
