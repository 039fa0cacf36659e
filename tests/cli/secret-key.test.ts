import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.js';
import { runRosterAsync as runRoster, startRoster } from '../support/processes.js';

// Every step is a fresh Node process (about 1–4 s on two busy cores).
const slow = 240_000;

interface DoctorReport {
  healthy: boolean;
  checks: Array<{ name: string; ok: boolean; detail: string }>;
}

const secretKeyCheck = (stdout: string) => (JSON.parse(stdout) as DoctorReport).checks.find((c) => c.name === 'secret key');
const newKeyText = () => randomBytes(32).toString('base64');

/** `roster serve` that is expected to refuse: it exits on its own, before listening. */
const refusedStart = (env: Record<string, string>) => runRoster(['serve'], { ROSTER_PORT: '0', ...env });

describeEachDatabase('the secret key through the real start path and the CLI', (dialect) => {
  let database: TestDatabase;
  let workDir: string;
  const env = (extra: Record<string, string> = {}) => ({ ROSTER_DATABASE_URL: database.config.url, ...extra });
  const keyFile = () => `${(database.config as { file: string }).file}.secret-key`;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-secret-key-'));
  });
  afterAll(async () => {
    await database?.drop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  if (dialect === 'sqlite') {
    it(
      'creates the key file (0600) at the first start and says so once, reuses it, and refuses a wrong or missing key',
      async () => {
        const first = await startRoster(env());
        try {
          expect(first.output()).toContain(`Created the secret key ${keyFile()} (mode 0600`);
        } finally {
          expect(await first.stop()).toBe(0);
        }
        expect(fs.statSync(keyFile()).mode & 0o777).toBe(0o600);
        const keyText = fs.readFileSync(keyFile(), 'utf8').trim();
        expect(first.output()).not.toContain(keyText);

        const second = await startRoster(env());
        try {
          expect(second.output()).not.toContain('Created the secret key');
        } finally {
          await second.stop();
        }
        expect(fs.readFileSync(keyFile(), 'utf8').trim()).toBe(keyText);

        const wrongKey = newKeyText();
        const wrong = await refusedStart(env({ ROSTER_SECRET_KEY: wrongKey }));
        expect(wrong.code).toBe(1);
        expect(wrong.stderr).toContain('The secret key does not match this database');
        // Moving from the key file to the environment with another key: the message points at the file that fits.
        expect(wrong.stderr).toContain(`The key file ${keyFile()}, which ROSTER_SECRET_KEY overrides, holds key`);
        expect(wrong.stderr).toContain('(secret_key_mismatch)');
        expect(wrong.stdout).not.toContain('Open:');
        expect(`${wrong.stdout}${wrong.stderr}`).not.toContain(wrongKey);
        expect(`${wrong.stdout}${wrong.stderr}`).not.toContain(keyText);

        // Without the file, the server does not make a new key over secrets that need the old one.
        fs.renameSync(keyFile(), `${keyFile()}.moved`);
        const missing = await refusedStart(env());
        expect(missing.code).toBe(1);
        expect(missing.stderr).toContain(`The secret key file ${keyFile()} is missing`);
        expect(missing.stderr).toContain('(secret_key_missing)');
        expect(fs.existsSync(keyFile())).toBe(false);
        fs.renameSync(`${keyFile()}.moved`, keyFile());
      },
      slow,
    );

    it(
      'doctor checks the key file: present, readable, mode 0600, canary decrypts',
      async () => {
        const healthy = await runRoster(['doctor', '--json'], env());
        expect(healthy.code, healthy.stderr).toBe(0);
        expect(secretKeyCheck(healthy.stdout)).toMatchObject({ ok: true, detail: expect.stringMatching(/mode 0600; canary decrypts$/) });

        fs.chmodSync(keyFile(), 0o644);
        try {
          const open = await runRoster(['doctor', '--json'], env());
          expect(open.code).toBe(1);
          expect(secretKeyCheck(open.stdout)).toMatchObject({
            ok: false,
            detail: expect.stringContaining(`mode 0644: run chmod 600 ${keyFile()}`),
          });
          // The server still starts, and says it.
          const server = await startRoster(env());
          try {
            expect(server.output()).toContain('can be read by other users of this machine');
          } finally {
            await server.stop();
          }
        } finally {
          fs.chmodSync(keyFile(), 0o600);
        }

        const content = fs.readFileSync(keyFile(), 'utf8');
        fs.writeFileSync(keyFile(), 'not a key\n');
        try {
          const unreadable = await runRoster(['doctor', '--json'], env());
          expect(unreadable.code).toBe(1);
          expect(secretKeyCheck(unreadable.stdout)).toMatchObject({
            ok: false,
            detail: expect.stringContaining('does not hold a 32-byte base64 key'),
          });
          const refused = await refusedStart(env());
          expect(refused.stderr).toContain('(secret_key_unreadable)');
        } finally {
          fs.writeFileSync(keyFile(), content);
        }

        const wrong = await runRoster(['doctor', '--json'], env({ ROSTER_SECRET_KEY: newKeyText() }));
        expect(wrong.code).toBe(1);
        expect(secretKeyCheck(wrong.stdout)).toMatchObject({ ok: false, detail: expect.stringContaining('does not match this database') });
      },
      slow,
    );

    it(
      'rotates: rekey under a new ROSTER_SECRET_KEY with the file key as old, then the new key alone starts',
      async () => {
        const fileKey = fs.readFileSync(keyFile(), 'utf8').trim();
        const newKey = newKeyText();
        const rekey = await runRoster(['secrets', 'rekey', '--json'], env({ ROSTER_SECRET_KEY: newKey, ROSTER_SECRET_KEYS_OLD: fileKey }));
        expect(rekey.code, rekey.stderr).toBe(0);
        const result = JSON.parse(rekey.stdout) as { keyId: string; rekeyed: number; failed: number };
        expect(result).toMatchObject({ rekeyed: 1, failed: 0 });
        expect(rekey.stdout).not.toContain(newKey);

        const doctor = await runRoster(['doctor', '--json'], env({ ROSTER_SECRET_KEY: newKey }));
        expect(secretKeyCheck(doctor.stdout)).toMatchObject({
          ok: true,
          detail: expect.stringContaining(`ROSTER_SECRET_KEY (key ${result.keyId})`),
        });
        expect(secretKeyCheck(doctor.stdout)?.detail).toContain('is ignored while ROSTER_SECRET_KEY is set');

        const server = await startRoster(env({ ROSTER_SECRET_KEY: newKey }));
        expect(await server.stop()).toBe(0);
        // The file's key is the old one now: alone it is refused.
        const old = await refusedStart(env());
        expect(old.stderr).toContain(`encrypted under key ${result.keyId}`);
        fs.writeFileSync(keyFile(), `${newKey}\n`);
      },
      slow,
    );
  } else {
    it(
      'runs without ROSTER_SECRET_KEY, with the features that need it refusing to turn on',
      async () => {
        const keyless = await startRoster(env());
        try {
          expect(keyless.output()).not.toContain('secret key');
        } finally {
          expect(await keyless.stop()).toBe(0);
        }
        const doctor = await runRoster(['doctor', '--json'], env());
        expect(secretKeyCheck(doctor.stdout)).toMatchObject({ ok: true, detail: expect.stringContaining('ROSTER_SECRET_KEY is not set') });
        const rekey = await runRoster(['secrets', 'rekey'], env());
        expect(rekey.code).toBe(1);
        expect(rekey.stderr).toContain('roster secrets rekey needs a secret key, and this server has none: set ROSTER_SECRET_KEY');
        expect(rekey.stderr).toContain('(secret_key_missing)');
      },
      slow,
    );

    it(
      'keeps to the key it was given once one is set: another key or none is refused, rotation goes through rekey',
      async () => {
        const key = newKeyText();
        const keyed = await startRoster(env({ ROSTER_SECRET_KEY: key, ROSTER_LOG_LEVEL: 'trace' }));
        try {
          expect(keyed.output()).not.toContain(key);
        } finally {
          expect(await keyed.stop()).toBe(0);
        }
        const withKey = await runRoster(['doctor', '--json'], env({ ROSTER_SECRET_KEY: key }));
        expect(secretKeyCheck(withKey.stdout)).toMatchObject({ ok: true, detail: expect.stringContaining('canary decrypts') });

        const wrong = await refusedStart(env({ ROSTER_SECRET_KEY: newKeyText() }));
        expect(wrong.code).toBe(1);
        expect(wrong.stderr).toContain('(secret_key_mismatch)');
        const none = await refusedStart(env());
        expect(none.code).toBe(1);
        expect(none.stderr).toContain('ROSTER_SECRET_KEY is not set, but this database holds secrets encrypted under key');
        expect(none.stderr).toContain('(secret_key_missing)');

        const rotated = await runRoster(
          ['secrets', 'rekey', '--json'],
          env({ ROSTER_SECRET_KEY: newKeyText(), ROSTER_SECRET_KEYS_OLD: key }),
        );
        expect(rotated.code, rotated.stderr).toBe(0);
        expect(JSON.parse(rotated.stdout)).toMatchObject({ rekeyed: 1, failed: 0 });
        const oldOnly = await refusedStart(env({ ROSTER_SECRET_KEY: key }));
        expect(oldOnly.stderr).toContain('(secret_key_mismatch)');
      },
      slow,
    );
  }

  it(
    'backup warns that the key is not in the backup',
    async () => {
      const key = dialect === 'sqlite' ? undefined : newKeyText();
      if (dialect === 'postgres') {
        // A fresh database for this case: the one above now has another key.
        await database.drop();
        database = await createTestDatabase(dialect);
        const server = await startRoster(env({ ROSTER_SECRET_KEY: key ?? '' }));
        await server.stop();
      }
      const backupEnv = key ? env({ ROSTER_SECRET_KEY: key }) : env();
      const file = path.join(workDir, dialect === 'sqlite' ? 'with-key.db' : 'with-key.dump');
      const backup = await runRoster(['backup', file, '--json'], backupEnv);
      expect(backup.code, backup.stderr).toBe(0);
      const result = JSON.parse(backup.stdout) as { secretKey: { included: boolean; keyId: string | null; keyFile: string | null } };
      const keyId = result.secretKey.keyId;
      expect(result.secretKey).toMatchObject({ included: false, keyId: expect.stringMatching(/^[A-Za-z0-9_-]{8}$/) });
      expect(backup.stderr).toContain(
        `Warning: the secret key is not in this backup. Keep ${dialect === 'sqlite' ? `the key file ${keyFile()}` : 'ROSTER_SECRET_KEY'} (key ${keyId})`,
      );
      if (key) expect(`${backup.stdout}${backup.stderr}`).not.toContain(key);
    },
    slow,
  );
});
