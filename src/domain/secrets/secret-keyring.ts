import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SecretKeyMaterial } from '../../config/secret-keys.js';

/**
 * Encryption at rest for secrets the server must read back (docs/product/security-settings.md#secrets-the-server-reads-back):
 * AES-256-GCM from Node's crypto, keys derived with HKDF-SHA-256 from each 32-byte master key. Stored form:
 *
 *   v1.<key id>.<iv>.<ciphertext and tag>      (base64url parts; 12-byte random IV, 16-byte tag)
 *
 * The additional authenticated data binds a value to the table, column and row it was written for (and to its own
 * header), so a ciphertext copied into another row, column or table fails authentication. A key id is derived from
 * the key (HKDF, 48 bits): nobody names keys, and a wrong key is recognised by its id before any decryption.
 * Decisions: docs/decisions/0017-secret-store.md.
 */

/** Where a value lives; part of its additional authenticated data. */
export interface SecretField {
  table: string;
  column: string;
  rowId: string;
}

export type SecretErrorReason = 'malformed' | 'unknown_key' | 'authentication_failed';

/** A stored value that cannot be read. The message names the field and key id, never the value. */
export class SecretDecryptionError extends Error {
  constructor(
    readonly reason: SecretErrorReason,
    readonly field: SecretField,
    readonly keyId: string | null,
  ) {
    const where = `${field.table}.${field.column} of row ${field.rowId}`;
    super(
      reason === 'malformed'
        ? `The encrypted value in ${where} is not in the v1 format.`
        : reason === 'unknown_key'
          ? `The value in ${where} is encrypted under key ${keyId}, which is not in the configured keyring.`
          : `The value in ${where} does not decrypt under key ${keyId} (wrong key, or the value was moved or changed).`,
    );
    this.name = 'SecretDecryptionError';
  }
}

const version = 'v1';
const ivBytes = 12;
const tagBytes = 16;
const info = (purpose: string) => Buffer.from(`roster/secret-store/v1/${purpose}`, 'utf8');
const derive = (key: Buffer, purpose: string, length: number) =>
  Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info(purpose), length));
const stored = /^v1\.([A-Za-z0-9_-]{8})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22,})$/;

interface RingKey {
  id: string;
  master: Buffer;
  encryption: Buffer;
}

/** The id of a key as it appears in stored values, logs and `roster doctor` (not secret: 48 bits of an HKDF output). */
export function secretKeyId(key: SecretKeyMaterial): string {
  return derive(key.bytes(), 'key-id', 6).toString('base64url');
}

/** A fresh random key, base64, for ROSTER_SECRET_KEY or a key file. */
export function generateSecretKeyText(): string {
  return randomBytes(32).toString('base64');
}

function additionalData(keyId: string, field: SecretField): Buffer {
  // JSON of an array: unambiguous whatever characters the names and ids contain.
  return Buffer.from(JSON.stringify([version, keyId, field.table, field.column, field.rowId]), 'utf8');
}

/** The current key (encrypts) and older keys (decrypt only), as the environment or the key file gave them. */
export class SecretKeyring {
  readonly #keys: RingKey[];

  constructor(current: SecretKeyMaterial, old: readonly SecretKeyMaterial[] = []) {
    const keys: RingKey[] = [];
    for (const material of [current, ...old]) {
      const id = secretKeyId(material);
      if (keys.some((k) => k.id === id)) continue;
      keys.push({ id, master: material.bytes(), encryption: derive(material.bytes(), 'aes-256-gcm', 32) });
    }
    this.#keys = keys;
  }

  /** The id new values are written under. */
  get currentKeyId(): string {
    return this.#current().id;
  }

  /** Every id that can be read, current first. */
  get keyIds(): string[] {
    return this.#keys.map((k) => k.id);
  }

  encrypt(field: SecretField, plaintext: string | Buffer): string {
    const key = this.#current();
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', key.encryption, iv, { authTagLength: tagBytes });
    cipher.setAAD(additionalData(key.id, field));
    const body = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
    return [version, key.id, iv.toString('base64url'), Buffer.concat([body, cipher.getAuthTag()]).toString('base64url')].join('.');
  }

  decrypt(field: SecretField, value: string): Buffer {
    const match = stored.exec(value);
    const [, keyId, ivText, sealedText] = match ?? [];
    if (!keyId || !ivText || !sealedText) throw new SecretDecryptionError('malformed', field, null);
    const key = this.#keys.find((k) => k.id === keyId);
    if (!key) throw new SecretDecryptionError('unknown_key', field, keyId);
    const iv = Buffer.from(ivText, 'base64url');
    const sealed = Buffer.from(sealedText, 'base64url');
    if (iv.length !== ivBytes || sealed.length < tagBytes) throw new SecretDecryptionError('malformed', field, keyId);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.encryption, iv, { authTagLength: tagBytes });
      decipher.setAAD(additionalData(keyId, field));
      decipher.setAuthTag(sealed.subarray(sealed.length - tagBytes));
      return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - tagBytes)), decipher.final()]);
    } catch {
      throw new SecretDecryptionError('authentication_failed', field, keyId);
    }
  }

  decryptText(field: SecretField, value: string): string {
    return this.decrypt(field, value).toString('utf8');
  }

  /** The key id of a stored value, or null when it is not in the v1 format. */
  static keyIdOf(value: string): string | null {
    return stored.exec(value)?.[1] ?? null;
  }

  /** True when `value` is not written under the current key (what `roster secrets rekey` rewrites). */
  needsRekey(value: string): boolean {
    return SecretKeyring.keyIdOf(value) !== this.currentKeyId;
  }

  /**
   * A keyed digest for values that are checked but never read back (recovery codes,
   * docs/product/security-settings.md#two-factor-authentication): HMAC-SHA-256 under a per-purpose HKDF subkey,
   * stored as `m1.<key id>.<mac>`. It names its key, so it still verifies after a rotation while the old key stays in
   * the keyring; `rekey` cannot rewrite it (the input is gone).
   */
  mac(purpose: string, data: string): string {
    const key = this.#current();
    return ['m1', key.id, this.#macBytes(key, purpose, data).toString('base64url')].join('.');
  }

  verifyMac(purpose: string, data: string, value: string): boolean {
    const match = /^m1\.([A-Za-z0-9_-]{8})\.([A-Za-z0-9_-]{43})$/.exec(value);
    const key = this.#keys.find((k) => k.id === match?.[1]);
    if (!match?.[2] || !key) return false;
    const expected = this.#macBytes(key, purpose, data);
    const given = Buffer.from(match[2], 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /**
   * Keys for a library that rotates its own (cookie signing of the OIDC provider): one 32-byte HKDF subkey per key in
   * the ring, current first, so cookies signed before a rotation stay valid while the old key is kept.
   */
  deriveKeys(purpose: string): Buffer[] {
    return this.#keys.map((key) => derive(key.master, `derived/${purpose}`, 32));
  }

  #macBytes(key: RingKey, purpose: string, data: string): Buffer {
    return createHmac('sha256', derive(key.master, `mac/${purpose}`, 32))
      .update(data, 'utf8')
      .digest();
  }

  #current(): RingKey {
    const key = this.#keys[0];
    if (!key) throw new Error('unreachable: a keyring always has its current key');
    return key;
  }

  toJSON(): string {
    return `SecretKeyring [${this.keyIds.join(', ')}]`;
  }
}
