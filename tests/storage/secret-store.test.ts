import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../src/config/config.js';
import type { Services } from '../../src/domain/context.js';
import { offlineRequest } from '../../src/domain/context.js';
import { DomainError } from '../../src/domain/errors.js';
import { rekeySecrets } from '../../src/domain/secrets/rekey-secrets.js';
import { requireSecretKey } from '../../src/domain/secrets/require-secret-key.js';
import { SecretKeyError } from '../../src/domain/secrets/secret-key-error.js';
import { SecretKeyring } from '../../src/domain/secrets/secret-keyring.js';
import { openServices } from '../../src/runtime.js';
import type { EncryptedColumn } from '../../src/storage/secrets/encrypted-columns.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.js';

const newKeyText = () => randomBytes(32).toString('base64');

describeEachDatabase('secret store: key, canary and rekey', (dialect) => {
  const opened: Services[] = [];
  const databases: TestDatabase[] = [];
  afterEach(async () => {
    for (const services of opened.splice(0)) await services.database.destroy();
    for (const database of databases.splice(0)) await database.drop();
  });

  async function freshDatabase(): Promise<TestDatabase> {
    const database = await createTestDatabase(dialect);
    databases.push(database);
    return database;
  }
  const configFor = (database: TestDatabase, env: Record<string, string> = {}): Config => ({
    ...loadConfig({ ROSTER_LOG_LEVEL: 'silent', ...env }),
    database: database.config,
  });
  async function open(database: TestDatabase, env: Record<string, string> = {}, migrate = true): Promise<Services> {
    const services = await openServices(configFor(database, env), { migrate });
    opened.push(services);
    return services;
  }
  async function openFails(database: TestDatabase, env: Record<string, string> = {}): Promise<SecretKeyError> {
    try {
      opened.push(await openServices(configFor(database, env)));
    } catch (error) {
      if (error instanceof SecretKeyError) return error;
      throw error;
    }
    throw new Error('expected the start to be refused');
  }
  const close = async (services: Services) => {
    opened.splice(opened.indexOf(services), 1);
    await services.database.destroy();
  };

  it('without ROSTER_SECRET_KEY: SQLite creates a 0600 key file once and reuses it; PostgreSQL runs with features off', async () => {
    const database = await freshDatabase();
    const first = await open(database);
    if (dialect === 'sqlite') {
      const keyFile = `${(database.config as { file: string }).file}.secret-key`;
      expect(first.secrets.status).toMatchObject({ state: 'ready', source: 'key-file', keyFile, createdKeyFile: true });
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(first.secrets.notices.join('\n')).toContain(`Created the secret key ${keyFile} (mode 0600`);
      expect(first.secrets.notices.join('\n')).toContain('"roster backup" does not include it');
      const keyText = fs.readFileSync(keyFile, 'utf8');
      expect(first.secrets.notices.join('\n')).not.toContain(keyText.trim());
      await close(first);

      const second = await open(database);
      expect(second.secrets.status).toMatchObject({
        state: 'ready',
        createdKeyFile: false,
        canaryKeyId: second.secrets.keyring?.currentKeyId,
      });
      expect(second.secrets.notices).toEqual([]);
      expect(fs.readFileSync(keyFile, 'utf8')).toBe(keyText);
      expect(requireSecretKey(second, 'Two-factor authentication')).toBe(second.secrets.keyring);
    } else {
      expect(first.secrets.status.state).toBe('missing');
      expect(first.secrets.keyring).toBeNull();
      const refusal = (() => {
        try {
          requireSecretKey(first, 'Two-factor authentication');
        } catch (error) {
          return error;
        }
      })();
      expect(refusal).toBeInstanceOf(DomainError);
      expect(refusal).toMatchObject({ code: 'secret_key_missing', status: 503 });
      expect((refusal as Error).message).toContain('Two-factor authentication needs a secret key');
      expect((refusal as Error).message).toContain('ROSTER_SECRET_KEY');
      // Nothing was written: a key set later becomes the instance's key.
      expect(await first.database.db.selectFrom('secret_canary').selectAll().execute()).toEqual([]);
    }
  });

  it('writes the canary under ROSTER_SECRET_KEY and refuses to start with another key or none', async () => {
    const database = await freshDatabase();
    const key = newKeyText();
    const first = await open(database, { ROSTER_SECRET_KEY: key });
    const keyId = first.secrets.keyring?.currentKeyId ?? '';
    expect(first.secrets.status).toMatchObject({ state: 'ready', source: 'environment', canaryKeyId: keyId });
    const canary = await first.database.db.selectFrom('secret_canary').selectAll().executeTakeFirstOrThrow();
    expect(SecretKeyring.keyIdOf(canary.value)).toBe(keyId);
    await close(first);

    const wrongKey = newKeyText();
    const wrong = await openFails(database, { ROSTER_SECRET_KEY: wrongKey });
    expect(wrong.code).toBe('secret_key_mismatch');
    expect(wrong.message).toContain(`encrypted under key ${keyId}`);
    expect(wrong.message).toContain('Set ROSTER_SECRET_KEY to the key this database was used with');
    expect(wrong.message).not.toContain(wrongKey);
    expect(wrong.message).not.toContain(key);

    // Without the key, nothing new is made over the old secrets (SQLite would otherwise create a key file).
    const none = await openFails(database);
    expect(none.code).toBe('secret_key_missing');
    expect(none.message).toContain(keyId);
    if (dialect === 'sqlite') expect(fs.existsSync(`${(database.config as { file: string }).file}.secret-key`)).toBe(false);

    // An inspecting open (doctor, backup) reports instead of throwing.
    const inspected = await open(database, { ROSTER_SECRET_KEY: wrongKey }, false);
    expect(inspected.secrets.status).toMatchObject({ state: 'unusable', code: 'secret_key_mismatch' });

    // The old key among the keyring's older keys is accepted (rotation), and a note says to rekey.
    const rotated = await open(database, { ROSTER_SECRET_KEY: wrongKey, ROSTER_SECRET_KEYS_OLD: key });
    expect(rotated.secrets.status).toMatchObject({ state: 'ready', canaryKeyId: keyId });
    expect(rotated.secrets.notices.join('\n')).toContain('roster secrets rekey');
  });

  it('rekeys every registered column in bounded batches, leaving values it cannot read as they were', async () => {
    const database = await freshDatabase();
    const oldKey = newKeyText();
    const newKey = newKeyText();
    const before = await open(database, { ROSTER_SECRET_KEY: oldKey });
    await sql`CREATE TABLE test_secrets (id text PRIMARY KEY, secret text)`.execute(before.database.db);
    const column: EncryptedColumn = { table: 'test_secrets', column: 'secret', idColumn: 'id' };
    const ring = before.secrets.keyring as SecretKeyring;
    const ids = Array.from({ length: 11 }, (_, i) => `row-${String(i).padStart(2, '0')}`);
    for (const id of ids) {
      const value = id === 'row-05' ? null : ring.encrypt({ table: 'test_secrets', column: 'secret', rowId: id }, `seed of ${id}`);
      await sql`INSERT INTO test_secrets (id, secret) VALUES (${id}, ${value})`.execute(before.database.db);
    }
    // A ciphertext copied into another row: reported by the rekey, not decrypted, not rewritten.
    const copied = ring.encrypt({ table: 'test_secrets', column: 'secret', rowId: 'row-01' }, 'seed of row-01');
    await sql`UPDATE test_secrets SET secret = ${copied} WHERE id = 'row-07'`.execute(before.database.db);
    await close(before);

    const rotated = await open(database, { ROSTER_SECRET_KEY: newKey, ROSTER_SECRET_KEYS_OLD: oldKey });
    const newKeyId = rotated.secrets.keyring?.currentKeyId ?? '';
    const ctx = { ...rotated, caller: { kind: 'cli' as const }, request: offlineRequest('cli') };
    const result = await rekeySecrets(ctx, {
      batchSize: 3,
      columns: [{ table: 'secret_canary', column: 'value', idColumn: 'id' }, column],
    });
    expect(result).toMatchObject({
      keyId: newKeyId,
      rekeyed: 1 + 9,
      failed: 1,
      columns: [
        { table: 'secret_canary', column: 'value', checked: 1, rekeyed: 1, failed: 0 },
        { table: 'test_secrets', column: 'secret', checked: 10, rekeyed: 9, failed: 1 },
      ],
    });
    expect(result.failures).toEqual([expect.stringContaining('test_secrets.secret of row row-07')]);
    // Run again: nothing left to do.
    expect((await rekeySecrets(ctx, { batchSize: 3, columns: [column] })).rekeyed).toBe(0);
    const audit = await rotated.database.db
      .selectFrom('audit_events')
      .select(['action', 'outcome', 'details'])
      .where('action', '=', 'instance.secrets_rekeyed')
      .execute();
    expect(audit).toHaveLength(2);
    expect(audit[0]?.outcome).toBe('failure');
    await close(rotated);

    // The old key can go: the canary and every readable value are under the new key alone.
    const after = await open(database, { ROSTER_SECRET_KEY: newKey });
    const onlyNew = after.secrets.keyring as SecretKeyring;
    const rows = await sql<{ id: string; secret: string | null }>`SELECT id, secret FROM test_secrets ORDER BY id`.execute(
      after.database.db,
    );
    for (const row of rows.rows) {
      if (row.id === 'row-05') expect(row.secret).toBeNull();
      else if (row.id === 'row-07') expect(row.secret).toBe(copied);
      else
        expect(onlyNew.decryptText({ table: 'test_secrets', column: 'secret', rowId: row.id }, row.secret ?? '')).toBe(`seed of ${row.id}`);
    }
    expect(after.secrets.notices).toEqual([]);
  });
});
