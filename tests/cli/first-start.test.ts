import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases.js';
import { runRoster, startRoster } from '../support/processes.js';

describeEachDatabase('first start and offline admin commands', (dialect) => {
  let database: TestDatabase;
  const env = () => ({ ROSTER_DATABASE_URL: database.config.url });
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('prints the first Owner and a temporary password once, with the URL to open', async () => {
    const first = await startRoster(env());
    try {
      const lines = first.output().split('\n');
      expect(lines).toContain('Owner: admin');
      const passwordLines = lines.filter((line) => line.startsWith('Temporary password: '));
      expect(passwordLines).toHaveLength(1);
      const password = passwordLines[0]?.slice('Temporary password: '.length) ?? '';
      expect(password).toMatch(/^[0-9A-HJKMNP-TV-Z]{20}$/);
      expect(lines).toContain(`Open: ${first.url}/login`);

      const login = await fetch(`${first.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'admin', password }),
      });
      expect(login.status).toBe(200);
      expect(await login.json()).toMatchObject({
        mustChangePassword: true,
        user: { username: 'admin', email: 'admin@localhost', role: 'owner' },
      });
      expect(first.output()).not.toMatch(new RegExp(`${password}[\\s\\S]*${password}`));
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await startRoster(env());
    try {
      expect(second.output()).not.toContain('Temporary password');
      expect(second.output()).toContain(`Open: ${second.url}/`);
    } finally {
      await second.stop();
    }
  }, 90_000);

  it('still creates and prints the first Owner when `roster admin seed` ran first on an empty database', async () => {
    const seeded = await createTestDatabase(dialect);
    const seededEnv = { ROSTER_DATABASE_URL: seeded.config.url };
    try {
      // Nothing to add is a usage error (exit 2); people and an access graph drawn from them in one run.
      expect(runRoster(['admin', 'seed'], seededEnv).code).toBe(2);
      const seed = runRoster(
        ['admin', 'seed', '--people', '25', '--projects', '4', '--groups', '3', '--memberships', '10', '--grants', '12'],
        seededEnv,
      );
      expect(seed.code, seed.stderr).toBe(0);
      expect(seed.stdout).toContain('Seeded 25 people.');
      expect(seed.stdout).toMatch(/Seeded 4 projects, 3 groups, \d+ memberships, \d+ grants \(seed 1\)\./);
      // The seed says what happens next, since nobody can log in to seeded accounts.
      expect(seed.stdout).toContain('No Owner exists yet');

      const first = await startRoster(seededEnv);
      let password = '';
      try {
        const lines = first.output().split('\n');
        expect(lines).toContain('Owner: admin');
        password = lines.find((line) => line.startsWith('Temporary password: '))?.slice('Temporary password: '.length) ?? '';
        expect(password).toMatch(/^[0-9A-HJKMNP-TV-Z]{20}$/);
        const login = await fetch(`${first.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ login: 'admin', password }),
        });
        expect(login.status).toBe(200);
        expect(await login.json()).toMatchObject({ mustChangePassword: true, user: { username: 'admin', role: 'owner' } });
      } finally {
        expect(await first.stop()).toBe(0);
      }

      // Exactly once: an Owner now exists (even one who never logged in), so the next start prints no password.
      const second = await startRoster(seededEnv);
      try {
        expect(second.output()).not.toContain('Temporary password');
      } finally {
        await second.stop();
      }
      // A seed on a database that has an Owner says nothing about Owners.
      const again = runRoster(['admin', 'seed', '--people', '5'], seededEnv);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).not.toContain('No Owner');
    } finally {
      await seeded.drop();
    }
  }, 120_000);

  it("starts without an Owner, and says how to make one, when the first Owner's username is taken", async () => {
    const taken = await createTestDatabase(dialect);
    const takenEnv = { ROSTER_DATABASE_URL: taken.config.url };
    try {
      expect(runRoster(['admin', 'seed', '--people', '3'], takenEnv).code).toBe(0);
      const server = await startRoster({ ...takenEnv, ROSTER_ADMIN_USERNAME: 'admin', ROSTER_ADMIN_EMAIL: 'admin@localhost' });
      await server.stop();
      // Now "admin" exists as an Owner; make it a plain Member the way a restore of an odd backup could.
      const { openDatabase } = await import('../../src/storage/database.js');
      const db = openDatabase(taken.config);
      await db.db.updateTable('users').set({ role: 'member' }).where('username', '=', 'admin').execute();
      await db.destroy();
      const next = await startRoster(takenEnv);
      try {
        expect(next.output()).not.toContain('Temporary password');
        expect(next.output()).toContain('No Owner exists');
        expect(next.output()).toContain('roster admin create-owner');
        expect((await fetch(`${next.url}/healthz`)).status).toBe(200);
      } finally {
        await next.stop();
      }
    } finally {
      await taken.drop();
    }
  }, 120_000);

  it('creates another Owner, resets a password and verifies the audit chain offline, audited as cli', async () => {
    // An instance that has started once (its first Owner made), on a database of this test's own.
    const started = await createTestDatabase(dialect);
    const env = () => ({ ROSTER_DATABASE_URL: started.config.url });
    try {
      expect(await (await startRoster(env())).stop()).toBe(0);
      await offlineCommands(env);
    } finally {
      await started.drop();
    }
  }, 120_000);

  async function offlineCommands(env: () => Record<string, string>) {
    const created = runRoster(['admin', 'create-owner', '--username', 'second', '--email', 'second@example.com', '--json'], env());
    expect(created.code, created.stderr).toBe(0);
    const json = JSON.parse(created.stdout) as { user: { username: string; role: string }; temporaryPassword: string };
    expect(json.user).toMatchObject({ username: 'second', role: 'owner' });

    const reset = runRoster(['admin', 'reset-password', 'second@example.com'], env());
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toMatch(/^Temporary password: [0-9A-Z]{20}$/m);
    expect(reset.stdout).not.toContain(json.temporaryPassword);

    const unlock = runRoster(['admin', 'unlock', 'second'], env());
    expect(unlock.stdout).toContain('Unlocked second');

    // The factors themselves are removed by the same step as the HTTP reset (tests/api/mfa/policy-and-reset.test.ts).
    const reset2fa = runRoster(['admin', 'reset-2fa', 'second', '--json'], env());
    expect(reset2fa.code, reset2fa.stderr).toBe(0);
    expect(JSON.parse(reset2fa.stdout)).toEqual({ username: 'second', factorsRemoved: 0, sessionsEnded: 0 });

    const verify = runRoster(['audit', 'verify', '--json'], env());
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ valid: true, brokenAt: null });
    expect(JSON.parse(verify.stdout).checked).toBeGreaterThanOrEqual(5);

    const missing = runRoster(['admin', 'reset-password', 'nobody'], env());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('not_found');
  }

  it('refuses to start with a clear message when a migration fails, leaving the schema unchanged', async () => {
    const broken = await createTestDatabase(dialect);
    try {
      // A table that migration 0001 wants to create already exists, so 0001 fails halfway.
      const prepare = runRoster(['migrate'], { ROSTER_DATABASE_URL: broken.config.url });
      expect(prepare.code).toBe(0);
      const { openDatabase } = await import('../../src/storage/database.js');
      const db = openDatabase(broken.config);
      const { sql } = await import('kysely');
      await sql`DELETE FROM roster_migrations`.execute(db.db);
      await db.destroy();
      const result = runRoster(['serve'], { ROSTER_DATABASE_URL: broken.config.url, ROSTER_PORT: '0' });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Migration 0001-initial failed and was rolled back; the schema is unchanged');
      expect(result.stderr).toContain('Roster did not start');
    } finally {
      await broken.drop();
    }
  }, 60_000);

  it('exits with 1 and names the variable for a bad configuration', () => {
    const result = runRoster(['migrate'], { ROSTER_DATABASE_URL: 'mysql://localhost/roster' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ROSTER_DATABASE_URL must start with sqlite: or postgres://');
  });
});
