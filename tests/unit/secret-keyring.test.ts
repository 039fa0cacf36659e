import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { SecretKeyMaterial } from '../../src/config/secret-keys.js';
import { SecretDecryptionError, type SecretField, SecretKeyring, secretKeyId } from '../../src/domain/secrets/secret-keyring.js';

const newKey = () => new SecretKeyMaterial(randomBytes(32));
const seedOf = (rowId: string): SecretField => ({ table: 'mfa_totp', column: 'secret', rowId });

function decryptError(work: () => unknown): SecretDecryptionError {
  try {
    work();
  } catch (error) {
    if (error instanceof SecretDecryptionError) return error;
    throw error;
  }
  throw new Error('expected a SecretDecryptionError');
}

describe('secret keyring: format', () => {
  it('stores v1.<key id>.<iv>.<ciphertext and tag> in base64url and reads it back', () => {
    const key = newKey();
    const ring = new SecretKeyring(key);
    const stored = ring.encrypt(seedOf('user-1'), 'JBSWY3DPEHPK3PXP');
    expect(stored).toMatch(/^v1\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    const [, keyId, iv, sealed] = stored.split('.');
    expect(keyId).toBe(secretKeyId(key));
    expect(keyId).toBe(ring.currentKeyId);
    expect(Buffer.from(iv ?? '', 'base64url')).toHaveLength(12);
    // 16 bytes of plaintext + 16 bytes of GCM tag.
    expect(Buffer.from(sealed ?? '', 'base64url')).toHaveLength(32);
    expect(ring.decryptText(seedOf('user-1'), stored)).toBe('JBSWY3DPEHPK3PXP');
    expect(stored).not.toContain('JBSWY3DPEHPK3PXP');
  });

  it('uses a fresh IV for every value, so equal secrets do not look equal', () => {
    const ring = new SecretKeyring(newKey());
    const values = new Set(Array.from({ length: 20 }, () => ring.encrypt(seedOf('user-1'), 'same')));
    expect(values.size).toBe(20);
  });

  it('round-trips binary and empty values', () => {
    const ring = new SecretKeyring(newKey());
    const bytes = randomBytes(64);
    expect(ring.decrypt(seedOf('a'), ring.encrypt(seedOf('a'), bytes)).equals(bytes)).toBe(true);
    expect(ring.decryptText(seedOf('a'), ring.encrypt(seedOf('a'), ''))).toBe('');
  });

  it('derives the key id from the key: the same key always has the same id, another key another', () => {
    const bytes = randomBytes(32);
    expect(secretKeyId(new SecretKeyMaterial(bytes))).toBe(secretKeyId(new SecretKeyMaterial(Buffer.from(bytes))));
    expect(secretKeyId(newKey())).not.toBe(secretKeyId(new SecretKeyMaterial(bytes)));
  });

  it('refuses malformed and tampered values', () => {
    const ring = new SecretKeyring(newKey());
    const stored = ring.encrypt(seedOf('u'), 'seed');
    for (const bad of ['', 'seed', `v2${stored.slice(2)}`, stored.split('.').slice(0, 3).join('.'), `${stored}.x`]) {
      expect(decryptError(() => ring.decrypt(seedOf('u'), bad)).reason, bad).toBe('malformed');
    }
    const parts = stored.split('.');
    const sealed = Buffer.from(parts[3] ?? '', 'base64url');
    sealed[0] = (sealed[0] ?? 0) ^ 1;
    const flipped = [parts[0], parts[1], parts[2], sealed.toString('base64url')].join('.');
    expect(decryptError(() => ring.decrypt(seedOf('u'), flipped)).reason).toBe('authentication_failed');
  });
});

describe('secret keyring: additional authenticated data', () => {
  const ring = new SecretKeyring(newKey());
  const stored = ring.encrypt({ table: 'mfa_totp', column: 'secret', rowId: 'alice' }, 'alice-seed');

  it('does not decrypt a value copied into another row', () => {
    const error = decryptError(() => ring.decrypt({ table: 'mfa_totp', column: 'secret', rowId: 'mallory' }, stored));
    expect(error.reason).toBe('authentication_failed');
    expect(error.message).toContain('mfa_totp.secret of row mallory');
    expect(error.message).not.toContain('alice-seed');
    expect(error.message).not.toContain(stored);
  });

  it('does not decrypt a value copied into another column or table', () => {
    expect(decryptError(() => ring.decrypt({ table: 'mfa_totp', column: 'backup', rowId: 'alice' }, stored)).reason).toBe(
      'authentication_failed',
    );
    expect(decryptError(() => ring.decrypt({ table: 'identity_providers', column: 'secret', rowId: 'alice' }, stored)).reason).toBe(
      'authentication_failed',
    );
  });

  it('keeps field boundaries unambiguous (table "a.b" column "c" is not table "a" column "b.c")', () => {
    const value = ring.encrypt({ table: 'a.b', column: 'c', rowId: '1' }, 'x');
    expect(decryptError(() => ring.decrypt({ table: 'a', column: 'b.c', rowId: '1' }, value)).reason).toBe('authentication_failed');
  });
});

describe('secret keyring: wrong keys and rotation', () => {
  it('refuses a value written under a key that is not in the ring, naming the key id', () => {
    const mine = new SecretKeyring(newKey());
    const theirs = new SecretKeyring(newKey());
    const stored = theirs.encrypt(seedOf('u'), 'seed');
    const error = decryptError(() => mine.decrypt(seedOf('u'), stored));
    expect(error.reason).toBe('unknown_key');
    expect(error.keyId).toBe(theirs.currentKeyId);
    expect(error.message).toContain(theirs.currentKeyId);
  });

  it('refuses a value whose key id was rewritten to a key in the ring', () => {
    const mine = new SecretKeyring(newKey());
    const theirs = new SecretKeyring(newKey());
    const forged = theirs.encrypt(seedOf('u'), 'seed').replace(theirs.currentKeyId, mine.currentKeyId);
    expect(decryptError(() => mine.decrypt(seedOf('u'), forged)).reason).toBe('authentication_failed');
  });

  it('reads values under old keys, writes under the current one, and says which need a rekey', () => {
    const oldKey = newKey();
    const newer = newKey();
    const before = new SecretKeyring(oldKey);
    const stored = before.encrypt(seedOf('u'), 'seed');
    const rotated = new SecretKeyring(newer, [oldKey]);
    expect(rotated.currentKeyId).toBe(secretKeyId(newer));
    expect(rotated.keyIds).toEqual([secretKeyId(newer), secretKeyId(oldKey)]);
    expect(rotated.decryptText(seedOf('u'), stored)).toBe('seed');
    expect(rotated.needsRekey(stored)).toBe(true);
    const rewritten = rotated.encrypt(seedOf('u'), rotated.decrypt(seedOf('u'), stored));
    expect(rotated.needsRekey(rewritten)).toBe(false);
    expect(new SecretKeyring(newer).decryptText(seedOf('u'), rewritten)).toBe('seed');
    expect(decryptError(() => new SecretKeyring(newer).decrypt(seedOf('u'), stored)).reason).toBe('unknown_key');
  });

  it('keeps MACs (recovery codes) verifiable across a rotation while the old key stays in the ring', () => {
    const oldKey = newKey();
    const mac = new SecretKeyring(oldKey).mac('recovery-code', 'ABCDE12345');
    expect(mac).toMatch(/^m1\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]{43}$/);
    const rotated = new SecretKeyring(newKey(), [oldKey]);
    expect(rotated.verifyMac('recovery-code', 'ABCDE12345', mac)).toBe(true);
    expect(rotated.verifyMac('recovery-code', 'ABCDE12346', mac)).toBe(false);
    expect(rotated.verifyMac('other-purpose', 'ABCDE12345', mac)).toBe(false);
    expect(new SecretKeyring(newKey()).verifyMac('recovery-code', 'ABCDE12345', mac)).toBe(false);
  });

  it('derives one library key per ring key, current first, separate per purpose', () => {
    const oldKey = newKey();
    const current = newKey();
    const ring = new SecretKeyring(current, [oldKey]);
    const cookies = ring.deriveKeys('oidc-cookies');
    expect(cookies).toHaveLength(2);
    expect(cookies[0]?.equals(new SecretKeyring(current).deriveKeys('oidc-cookies')[0] ?? Buffer.alloc(0))).toBe(true);
    expect(cookies[1]?.equals(new SecretKeyring(oldKey).deriveKeys('oidc-cookies')[0] ?? Buffer.alloc(0))).toBe(true);
    expect(cookies[0]?.equals(ring.deriveKeys('other')[0] ?? Buffer.alloc(0))).toBe(false);
    expect(cookies[0]?.equals(current.bytes())).toBe(false);
  });
});

describe('secret keys in the configuration', () => {
  const key = randomBytes(32).toString('base64');
  const old = randomBytes(32).toString('base64url');

  it('reads ROSTER_SECRET_KEY and ROSTER_SECRET_KEYS_OLD (base64 or base64url)', () => {
    const config = loadConfig({ ROSTER_SECRET_KEY: key, ROSTER_SECRET_KEYS_OLD: ` ${old} ,` });
    expect(config.secretKeys.current?.bytes().equals(Buffer.from(key, 'base64'))).toBe(true);
    expect(config.secretKeys.old).toHaveLength(1);
    expect(config.secretKeys.old[0]?.bytes().equals(Buffer.from(old, 'base64url'))).toBe(true);
    expect(loadConfig({}).secretKeys).toEqual({ current: null, old: [] });
  });

  it('refuses keys that are not 32 bytes without echoing them', () => {
    const short = randomBytes(16).toString('base64');
    try {
      loadConfig({ ROSTER_SECRET_KEY: short, ROSTER_SECRET_KEYS_OLD: `${old},not a key` });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems.some((p) => p.startsWith('ROSTER_SECRET_KEY must be 32 random bytes'))).toBe(true);
      expect(problems).toContain('ROSTER_SECRET_KEYS_OLD entry 2 is not a 32-byte base64 key');
      expect((error as Error).message).not.toContain(short);
      expect((error as Error).message).not.toContain(old);
    }
  });

  it('never prints a key: JSON, inspect and string forms of the config are redacted', () => {
    const config = loadConfig({ ROSTER_SECRET_KEY: key, ROSTER_SECRET_KEYS_OLD: old });
    const ring = new SecretKeyring(config.secretKeys.current ?? newKey(), config.secretKeys.old);
    for (const printed of [
      JSON.stringify(config),
      inspect(config, { depth: 10 }),
      String(config.secretKeys.current),
      JSON.stringify(ring),
      inspect(ring),
    ]) {
      expect(printed).not.toContain(key);
      expect(printed).not.toContain(old);
      expect(printed).not.toContain(Buffer.from(key, 'base64').toString('hex'));
    }
    expect(JSON.stringify(config.secretKeys)).toBe('{"current":"[redacted]","old":["[redacted]"]}');
  });
});
