import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.js';
import { runRosterAsync as runRoster, startRoster } from '../support/processes.js';
import { logInOverHttp } from '../support/session.js';

// Every CLI call is a fresh Node process (about 1–4 s on two busy cores), so each case gets a generous budget.
const slow = 240_000;

interface DoctorReport {
  healthy: boolean;
  checks: Array<{ name: string; ok: boolean; detail: string }>;
  problems: string[];
}

describeEachDatabase('server-side maintenance: backup, restore, doctor', (dialect) => {
  let database: TestDatabase;
  let workDir: string;
  const env = () => ({ ROSTER_DATABASE_URL: database.config.url });
  const withDb = async <T>(work: (db: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> => {
    const db = openDatabase(database.config);
    try {
      return await work(db);
    } finally {
      await db.destroy();
    }
  };
  const usernames = () =>
    withDb(async (db) => (await db.db.selectFrom('users').select('username').orderBy('username').execute()).map((u) => u.username));
  const sessionCount = () =>
    withDb(async (db) =>
      Number(
        (
          await db.db
            .selectFrom('sessions')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-backup-'));
    const created = await runRoster(['admin', 'create-owner', '--username', 'first-owner', '--email', 'first@example.com'], env());
    if (created.code !== 0) throw new Error(created.stderr);
  }, 60_000);
  afterAll(async () => {
    await database?.drop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it(
    'reports a healthy database with doctor',
    async () => {
      const doctor = await runRoster(['doctor', '--json'], env());
      expect(doctor.code, doctor.stderr).toBe(0);
      const report = JSON.parse(doctor.stdout) as DoctorReport;
      expect(report).toMatchObject({ healthy: true, problems: [] });
      expect(report.checks.map((c) => c.name)).toEqual([
        'storage',
        'migrations',
        'owners',
        'audit chain',
        'audit triggers',
        'security keys',
        'secret key',
      ]);
      const human = await runRoster(['doctor'], env());
      expect(human.stdout).toMatch(/^owners +ok +1 active Owner/m);
      expect(human.stdout).toContain('No problems found.');
    },
    slow,
  );

  it(
    'backs up and restores while a server runs, ending every session, audited as cli',
    async () => {
      const file = path.join(workDir, dialect === 'sqlite' ? 'roster-backup.db' : 'roster-backup.dump');
      const server = await startRoster(env());
      try {
        const backup = await runRoster(['backup', file, '--json'], env());
        expect(backup.code, backup.stderr).toBe(0);
        expect(JSON.parse(backup.stdout)).toMatchObject({ file, format: dialect === 'sqlite' ? 'sqlite' : 'pg_dump-custom' });
        expect(fs.statSync(file).size).toBeGreaterThan(0);
        expect(fs.readdirSync(workDir).filter((name) => name.includes('.partial-'))).toEqual([]);
        // Never over an existing file.
        const again = await runRoster(['backup', file], env());
        expect(again.code).toBe(1);
        expect(again.stderr).toContain('already exists');

        // Changes after the backup: a new Owner and a live session.
        expect((await runRoster(['admin', 'create-owner', '--username', 'after-backup', '--email', 'after@example.com'], env())).code).toBe(
          0,
        );
        const reset = await runRoster(['admin', 'reset-password', 'first-owner', '--json'], env());
        const { temporaryPassword } = JSON.parse(reset.stdout) as { temporaryPassword: string };
        const session = await logInOverHttp(server.url, 'first-owner', temporaryPassword, 'first owner password after backup');
        const me = () => fetch(`${server.url}/api/v1/me`, { headers: { cookie: session.cookie } });
        expect((await me()).status).toBe(200);
        expect(await usernames()).toContain('after-backup');
        expect(await sessionCount()).toBeGreaterThan(0);

        const withoutYes = await runRoster(['restore', file], env());
        expect(withoutYes.code).toBe(2);
        expect(withoutYes.stderr).toContain('--yes');

        const restored = await runRoster(['restore', file, '--yes', '--json'], env());
        expect(restored.code, restored.stderr).toBe(0);
        expect(JSON.parse(restored.stdout)).toMatchObject({ file, sessionsEnded: expect.any(Number), migrationsApplied: [] });

        expect(await usernames()).not.toContain('after-backup');
        expect(await usernames()).toContain('first-owner');
        expect(await sessionCount()).toBe(0);
        // The running server sees the restored database on its very next request.
        expect((await me()).status).toBe(401);

        const events = await withDb((db) =>
          db.db
            .selectFrom('audit_events')
            .select(['action', 'actor_type', 'via'])
            .where('action', 'in', ['instance.backup_created', 'instance.restored'])
            .orderBy('seq')
            .execute(),
        );
        // The backup's own event was written after the snapshot, so only the restore is in the restored log.
        expect(events).toEqual([{ action: 'instance.restored', actor_type: 'cli', via: 'cli' }]);
      } finally {
        await server.stop();
      }
      const doctor = await runRoster(['doctor', '--json'], env());
      expect(doctor.code, doctor.stdout).toBe(0);
      expect(JSON.parse(doctor.stdout)).toMatchObject({ healthy: true });
    },
    slow,
  );

  it(
    'refuses to restore a file that is not a Roster backup, changing nothing',
    async () => {
      const junk = path.join(workDir, 'junk.bin');
      fs.writeFileSync(junk, 'this is not a database');
      const before = await usernames();
      const result = await runRoster(['restore', junk, '--yes'], env());
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/invalid_backup|restore_failed/);
      expect(await usernames()).toEqual(before);
      const missing = await runRoster(['restore', path.join(workDir, 'nope.db'), '--yes'], env());
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('does not exist');
    },
    slow,
  );

  it.skipIf(dialect !== 'postgres')(
    'says clearly when pg_dump is not installed',
    async () => {
      const result = await runRoster(['backup', path.join(workDir, 'no-tool.dump')], { ...env(), PATH: '/nonexistent' });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('pg_dump was not found on PATH');
      expect(fs.existsSync(path.join(workDir, 'no-tool.dump'))).toBe(false);
    },
    slow,
  );

  it(
    'lists problems and exits 1 when no active Owner is left',
    async () => {
      await withDb((db) => db.db.updateTable('users').set({ role: 'member' }).execute());
      const doctor = await runRoster(['doctor'], env());
      expect(doctor.code).toBe(1);
      expect(doctor.stdout).toMatch(/^owners +PROBLEM +no active Owner/m);
      expect(doctor.stdout).toContain('1 problem(s):');
      const json = JSON.parse((await runRoster(['doctor', '--json'], env())).stdout) as DoctorReport;
      expect(json.healthy).toBe(false);
      expect(json.problems).toEqual([expect.stringContaining('owners: no active Owner')]);
    },
    slow,
  );
});
