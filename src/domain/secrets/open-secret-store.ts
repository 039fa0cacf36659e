import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Config } from '../../config/config.js';
import { parseSecretKey, SecretKeyMaterial } from '../../config/secret-keys.js';
import type { Database } from '../../storage/database.js';
import { canaryColumn } from '../../storage/secrets/encrypted-columns.js';
import { canaryRowId, insertSecretCanary, readSecretCanary } from '../../storage/secrets/secret-canary.js';
import { SecretKeyError, type SecretKeyErrorCode } from './secret-key-error.js';
import { generateSecretKeyText, type SecretField, SecretKeyring } from './secret-keyring.js';

/**
 * Finds the instance's secret key at start and proves it is the right one
 * (docs/product/security-settings.md#secrets-the-server-reads-back, docs/decisions/0017-secret-store.md):
 *
 * - `ROSTER_SECRET_KEY` (+ `ROSTER_SECRET_KEYS_OLD`) when set;
 * - otherwise on SQLite the key file beside the database (`<database>.secret-key`, mode 0600), created at the first
 *   start; an in-memory database gets a key that lives as long as it does;
 * - otherwise (PostgreSQL) no key: the server runs, and features that need one refuse to turn on (requireSecretKey).
 *
 * The canary row (migration 0008) is encrypted under the key at the first start that has one; every later start must
 * decrypt it. A missing or different key is refused with a message that says what to do — never answered by making a
 * new key, which would strand every secret written under the old one.
 */

export type SecretKeySource = 'environment' | 'key-file' | 'memory';

export type SecretKeyStatus =
  | {
      state: 'ready';
      source: SecretKeySource;
      keyFile: string | null;
      /** The key file was created by this start (say so once). */
      createdKeyFile: boolean;
      currentKeyId: string;
      keyIds: string[];
      /** Key id of the canary; null when it is not written yet (inspect mode before the first start). */
      canaryKeyId: string | null;
    }
  /** No key, and nothing encrypted depends on one (PostgreSQL without ROSTER_SECRET_KEY; SQLite before the first start). */
  | { state: 'missing'; keyFile: string | null; detail: string }
  /** What a start would refuse (only reported in inspect mode; a start throws SecretKeyError instead). */
  | { state: 'unusable'; keyFile: string | null; code: SecretKeyErrorCode; detail: string };

export interface SecretStore {
  status: SecretKeyStatus;
  /** Null unless the status is `ready`; features reach it through requireSecretKey. */
  keyring: SecretKeyring | null;
  /** Lines for the operator (key file created, file mode too open, secrets left under an old key). */
  notices: string[];
}

const canaryPlaintext = 'roster secret-store canary v1';
const canaryField: SecretField = { table: canaryColumn.table, column: canaryColumn.column, rowId: canaryRowId };

/** Where SQLite keeps its key when ROSTER_SECRET_KEY is not set; null for PostgreSQL and in-memory databases. */
export function secretKeyFilePath(config: Config): string | null {
  return config.database.kind === 'sqlite' && config.database.file !== ':memory:' ? `${config.database.file}.secret-key` : null;
}

/** Permission bits of the key file that let others read or write it (none on Windows, which has no such bits). */
export function openKeyFileBits(mode: number): number {
  return process.platform === 'win32' ? 0 : mode & 0o077;
}

interface ResolvedKeys {
  keyring: SecretKeyring;
  source: SecretKeySource;
  keyFile: string | null;
  createdKeyFile: boolean;
}

/**
 * `start`: find or create the key, write or check the canary, throw SecretKeyError on anything wrong.
 * `inspect` (doctor, backup): change nothing, never throw for the key; report what a start would do.
 */
export async function openSecretStore(
  config: Config,
  database: Database,
  options: { mode: 'start' | 'inspect'; now: () => Date },
): Promise<SecretStore> {
  try {
    return await openOrThrow(config, database, options);
  } catch (error) {
    if (!(error instanceof SecretKeyError) || options.mode === 'start') throw error;
    return {
      status: {
        state: 'unusable',
        keyFile: config.secretKeys.current ? null : secretKeyFilePath(config),
        code: error.code,
        detail: error.message,
      },
      keyring: null,
      notices: [],
    };
  }
}

async function openOrThrow(
  config: Config,
  database: Database,
  { mode, now }: { mode: 'start' | 'inspect'; now: () => Date },
): Promise<SecretStore> {
  // Before migration 0008 (doctor, backup on an old schema) there is no canary to read.
  const canary = mode === 'start' ? await readSecretCanary(database.db) : await readSecretCanary(database.db).catch(() => null);
  const resolved = resolveKeys(config, canary, mode);
  if (!resolved) {
    const keyFile = secretKeyFilePath(config);
    return {
      status: {
        state: 'missing',
        keyFile,
        detail: keyFile
          ? `no key yet: the server creates ${keyFile} (mode 0600) at its next start`
          : 'ROSTER_SECRET_KEY is not set: features that encrypt secrets (two-factor authentication, single sign-on) stay off',
      },
      keyring: null,
      notices: [],
    };
  }
  const { keyring } = resolved;
  let stored = canary;
  if (stored === null && mode === 'start') {
    await database.transact((trx) => insertSecretCanary(trx, keyring.encrypt(canaryField, canaryPlaintext), now().toISOString()));
    stored = await readSecretCanary(database.db);
  }
  if (stored !== null) checkCanary(keyring, stored, resolved, secretKeyFilePath(config));

  const notices: string[] = [];
  if (resolved.createdKeyFile) {
    notices.push(
      `Created the secret key ${resolved.keyFile} (mode 0600, key ${keyring.currentKeyId}): it encrypts secrets such as two-factor seeds. ` +
        'Back it up apart from the database: "roster backup" does not include it, and without it those secrets cannot be read.',
    );
  }
  if (resolved.keyFile && !resolved.createdKeyFile) {
    const bits = openKeyFileBits(fs.statSync(resolved.keyFile).mode);
    if (bits !== 0) notices.push(`The secret key ${resolved.keyFile} can be read by other users of this machine: run chmod 600 on it.`);
  }
  const canaryKeyId = stored === null ? null : SecretKeyring.keyIdOf(stored);
  if (canaryKeyId !== null && canaryKeyId !== keyring.currentKeyId) {
    notices.push(`Secrets are still encrypted under the older key ${canaryKeyId}: run "roster secrets rekey" before removing it.`);
  }
  return {
    status: {
      state: 'ready',
      source: resolved.source,
      keyFile: resolved.keyFile,
      createdKeyFile: resolved.createdKeyFile,
      currentKeyId: keyring.currentKeyId,
      keyIds: keyring.keyIds,
      canaryKeyId,
    },
    keyring,
    notices,
  };
}

function resolveKeys(config: Config, canary: string | null, mode: 'start' | 'inspect'): ResolvedKeys | null {
  const { current, old } = config.secretKeys;
  if (current) return { keyring: new SecretKeyring(current, old), source: 'environment', keyFile: null, createdKeyFile: false };
  const canaryKeyId = canary === null ? null : SecretKeyring.keyIdOf(canary);
  const keyFile = secretKeyFilePath(config);
  if (keyFile && fs.existsSync(keyFile)) {
    return { keyring: new SecretKeyring(readKeyFile(keyFile), old), source: 'key-file', keyFile, createdKeyFile: false };
  }
  if (canaryKeyId !== null) {
    throw new SecretKeyError(
      'secret_key_missing',
      keyFile
        ? `The secret key file ${keyFile} is missing, but this database holds secrets encrypted under key ${canaryKeyId}. ` +
            'Put the key file back from your backup (or set ROSTER_SECRET_KEY to that key). Roster does not create a new key over secrets that need the old one.'
        : `ROSTER_SECRET_KEY is not set, but this database holds secrets encrypted under key ${canaryKeyId}. ` +
            'Set ROSTER_SECRET_KEY to that key on every node.',
    );
  }
  if (old.length > 0 && !keyFile) {
    throw new SecretKeyError('secret_key_missing', 'ROSTER_SECRET_KEYS_OLD is set but ROSTER_SECRET_KEY is not: set the current key too.');
  }
  if (config.database.kind === 'sqlite' && config.database.file === ':memory:') {
    return {
      keyring: new SecretKeyring(new SecretKeyMaterial(randomBytes(32)), old),
      source: 'memory',
      keyFile: null,
      createdKeyFile: false,
    };
  }
  if (!keyFile || mode === 'inspect') return null;
  return createKeyFile(keyFile, old);
}

function createKeyFile(keyFile: string, old: SecretKeyMaterial[]): ResolvedKeys {
  let descriptor: number;
  try {
    // 'wx': never over an existing file; if another process creates it at the same moment, use theirs.
    descriptor = fs.openSync(keyFile, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new SecretKeyError('secret_key_unreadable', `Could not create the secret key file ${keyFile}: ${(error as Error).message}`);
    }
    return { keyring: new SecretKeyring(readKeyFile(keyFile), old), source: 'key-file', keyFile, createdKeyFile: false };
  }
  try {
    fs.fchmodSync(descriptor, 0o600);
    fs.writeSync(descriptor, `${generateSecretKeyText()}\n`);
    fs.fsyncSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
  return { keyring: new SecretKeyring(readKeyFile(keyFile), old), source: 'key-file', keyFile, createdKeyFile: true };
}

function readKeyFile(keyFile: string): SecretKeyMaterial {
  let text: string;
  try {
    text = fs.readFileSync(keyFile, 'utf8');
  } catch (error) {
    throw new SecretKeyError(
      'secret_key_unreadable',
      `Could not read the secret key file ${keyFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`,
    );
  }
  const key = parseSecretKey(text);
  if (!key) throw new SecretKeyError('secret_key_unreadable', `The secret key file ${keyFile} does not hold a 32-byte base64 key.`);
  return key;
}

function checkCanary(keyring: SecretKeyring, stored: string, resolved: ResolvedKeys, keyFile: string | null): void {
  let plaintext: string | null = null;
  try {
    plaintext = keyring.decryptText(canaryField, stored);
  } catch {
    plaintext = null;
  }
  if (plaintext === canaryPlaintext) return;
  const storedKeyId = SecretKeyring.keyIdOf(stored) ?? '(unknown)';
  const source =
    resolved.source === 'environment'
      ? keyring.keyIds.length > 1
        ? 'ROSTER_SECRET_KEY and ROSTER_SECRET_KEYS_OLD'
        : 'ROSTER_SECRET_KEY'
      : resolved.source === 'key-file'
        ? `the key file ${resolved.keyFile}`
        : 'a key made for this in-memory database';
  // Moving from the key file to ROSTER_SECRET_KEY with another key is the likely slip: point at the file that fits.
  let hint = '';
  if (resolved.source === 'environment' && keyFile && fs.existsSync(keyFile)) {
    try {
      const fileKeyId = new SecretKeyring(readKeyFile(keyFile)).currentKeyId;
      if (fileKeyId === storedKeyId) hint = ` The key file ${keyFile}, which ROSTER_SECRET_KEY overrides, holds key ${fileKeyId}.`;
    } catch {
      // An unreadable key file is not the question here.
    }
  }
  throw new SecretKeyError(
    'secret_key_mismatch',
    `The secret key does not match this database: its secrets are encrypted under key ${storedKeyId}, ` +
      `and ${source} ${keyring.keyIds.length > 1 ? 'give keys' : 'gives key'} ${keyring.keyIds.join(', ')}.${hint} ` +
      'Set ROSTER_SECRET_KEY to the key this database was used with (from where you backed it up), or list it in ' +
      'ROSTER_SECRET_KEYS_OLD while rotating. Roster does not start with a wrong key.',
  );
}
