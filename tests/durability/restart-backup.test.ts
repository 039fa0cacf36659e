import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.js';
import { runRoster, runRosterAsync, startRoster } from '../support/processes.js';
import { logInOverHttp } from '../support/session.js';
import { ownerPassword, startWithOwner } from './support.js';

describeEachDatabase('durability: restarts and backups', (dialect) => {
  // Each test starts from empty databases of its own.
  let database: TestDatabase;
  let restored: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    restored = await createTestDatabase(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-backup-'));
  });
  afterEach(async () => {
    await database.drop();
    await restored.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps sessions, tokens and lock counters across a graceful restart', async () => {
    const env = { ROSTER_DATABASE_URL: database.config.url };
    const { server, session } = await startWithOwner(env, ownerPassword);
    const created = await session.post('/api/v1/people', { accounts: [{ email: 'locky@example.com' }] });
    const temporary = (created.json().results as Array<{ temporaryPassword: string }>)[0]?.temporaryPassword ?? '';
    await logInOverHttp(server.url, 'locky', temporary, 'locky long password 1');
    const token = (await session.post('/api/v1/me/token', { currentPassword: ownerPassword })).json().token as string;
    for (let i = 0; i < 5; i++) {
      const wrong = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'locky', password: `wrong password number ${i}` }),
      });
      expect(wrong.status).toBe(401);
    }
    expect(await server.stop()).toBe(0);

    const again = await startRoster(env);
    try {
      // The session made before the restart, sent to the new process.
      const me = await fetch(`${again.url}/api/v1/me`, { headers: session.headers });
      expect(me.status).toBe(200);
      const byToken = await fetch(`${again.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(byToken.status).toBe(200);
      // Five failures survived the restart: the fifth locked the account, so even the right password is refused now.
      await fetch(`${again.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'locky', password: 'the sixth wrong password' }),
      });
      const locked = await fetch(`${again.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'locky', password: 'locky long password 1' }),
      });
      expect(locked.status).toBe(401);
    } finally {
      await again.stop();
    }
  }, 120_000);

  it('takes an online backup while writes continue, and it restores onto a fresh instance that works', async () => {
    const env = { ROSTER_DATABASE_URL: database.config.url };
    // Enough rows that taking the snapshot itself takes a while, not only starting the command.
    const seed = runRoster(['admin', 'seed', '--people', '30000'], env);
    expect(seed.code, seed.stderr).toBe(0);
    const { server, session } = await startWithOwner(env, ownerPassword);
    expect((await session.post('/api/v1/people', { accounts: [{ email: 'locky@example.com' }] })).statusCode).toBe(200);
    let writing = true;
    /** When each write was answered with 201 (performance.now()), in order: write i created `during-backup-i`. */
    const committedAt: number[] = [];
    const writer = (async () => {
      while (writing) {
        const answer = await session.post('/api/v1/projects', { name: `during-backup-${committedAt.length}` });
        if (answer.statusCode === 201) committedAt.push(performance.now());
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const file = path.join(dir, dialect === 'sqlite' ? 'roster.db.bak' : 'roster.dump');
    // Asynchronous on purpose: a blocking spawnSync would freeze this process, and with it the writer above.
    const backupStarted = performance.now();
    const writtenBefore = committedAt.length;
    const backup = await runRosterAsync(['backup', file, '--json'], env);
    const backupEnded = performance.now();
    const writtenByEnd = committedAt.length;
    writing = false;
    await writer;
    await server.stop();
    expect(backup.code, backup.stderr).toBe(0);
    const duringBackup = committedAt.filter((at) => at > backupStarted && at < backupEnded).length;
    expect(duringBackup, 'writes committed while the backup ran').toBeGreaterThan(0);

    const target = { ROSTER_DATABASE_URL: restored.config.url };
    const restore = runRoster(['restore', file, '--yes'], target);
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    if (dialect === 'sqlite') {
      // The backup does not hold the secret key: a new instance needs the key file brought along (docs/deployment.md).
      expect(restore.stderr).toContain('is missing, but this database holds secrets encrypted under key');
      const keyFile = (db: TestDatabase) => `${(db.config as { file: string }).file}.secret-key`;
      fs.copyFileSync(keyFile(database), keyFile(restored));
      fs.chmodSync(keyFile(restored), 0o600);
    }
    const doctor = runRoster(['doctor', '--json'], target);
    expect(JSON.parse(doctor.stdout).healthy, doctor.stdout).toBe(true);

    const fresh = await startRoster(target);
    try {
      expect(fresh.output()).not.toContain('Temporary password');
      const owner = await logInOverHttp(fresh.url, 'admin', ownerPassword);
      const projects = await owner.get('/api/v1/projects?limit=500');
      const names = (projects.json().items as Array<{ name: string }>).map((p) => p.name);
      // One moment in time: the first k writes and none after them (the writer waits for each answer), where k
      // counts at least everything committed before the backup began and at most what was committed by its end.
      const kept = names.length;
      expect(kept).toBeGreaterThanOrEqual(writtenBefore);
      expect(kept).toBeLessThanOrEqual(writtenByEnd);
      expect([...names].sort()).toEqual(Array.from({ length: kept }, (_, i) => `during-backup-${i}`).sort());
      console.info(
        `[${dialect}] backup: ${duringBackup} writes committed while it ran; the snapshot holds ${kept} of the ${writtenByEnd} written by its end`,
      );
      // Each project's creation event is in the copy, and the chain holds.
      const created = await owner.get('/api/v1/audit?action=project.created&limit=500');
      expect((created.json().items as unknown[]).length).toBe(kept);
      const verify = await owner.request('POST', '/api/v1/audit/verify');
      expect(verify.json()).toMatchObject({ valid: true });
      const people = await owner.get('/api/v1/people?query=locky');
      expect((people.json().items as Array<{ username: string }>).map((p) => p.username)).toContain('locky');
    } finally {
      await fresh.stop();
    }
  }, 240_000);
});
