import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase, postgresAdminUrl } from '../support/databases.js';
import { buildMember } from '../support/factories.js';
import { postLogin } from '../support/session.js';
import { useTestApp } from '../support/test-app.js';

/** Storage failures answer 503 `storage_unavailable` (never a stack trace), and the process recovers on its own. */
describeEachDatabase('durability: storage errors', (dialect) => {
  const t = useTestApp(dialect);

  it('answers 503 while the database cannot write or be reached, and recovers afterwards', async () => {
    const member = await buildMember(t());
    expect((await postLogin(t().app, member.user.username, member.password)).statusCode).toBe(200);

    let restore: () => Promise<void>;
    if (dialect === 'sqlite') {
      // A full disk, as SQLite sees it: no page may be added to the file.
      // Fill the file to the last page, then forbid new ones.
      const raw = t().services.database.raw.sqlite;
      if (!raw) throw new Error('no sqlite handle');
      raw.exec('CREATE TABLE IF NOT EXISTS test_filler (x BLOB)');
      raw.pragma(`max_page_count = ${Number(raw.pragma('page_count', { simple: true })) + 8}`);
      try {
        for (;;) raw.prepare('INSERT INTO test_filler VALUES (randomblob(3000))').run();
      } catch (error) {
        expect((error as { code?: string }).code).toBe('SQLITE_FULL');
      }
      restore = async () => {
        raw.pragma('max_page_count = 1073741823');
        raw.exec('DROP TABLE test_filler');
      };
    } else {
      // The database stops accepting connections and every open one is killed.
      const name = new URL((t().services.config.database as { url: string }).url).pathname.slice(1);
      const admin = new pg.Client({ connectionString: postgresAdminUrl });
      await admin.connect();
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      restore = async () => {
        await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
        await admin.end();
      };
    }

    try {
      // A write may still fit in a page with free space, and the first request after the kill may find a dead idle
      // connection: within a few attempts the outage must show.
      let failure = await postLogin(t().app, member.user.username, member.password);
      for (let attempt = 0; attempt < 20 && failure.statusCode !== 503; attempt++) {
        failure = await postLogin(t().app, member.user.username, member.password);
      }
      expect(failure.statusCode, failure.body).toBe(503);
      expect(failure.json()).toMatchObject({ code: 'storage_unavailable' });
      expect(failure.body).not.toMatch(/SQLITE|pg_|at .*:\d+/);
      expect(failure.headers['content-security-policy']).toContain("default-src 'self'");
    } finally {
      await restore();
    }
    const logged = t().logs.length;
    // The first request after the outage recovers, even when a connection the outage killed is still idle in the pool
    // (CI once met one: read ECONNRESET at BEGIN, 503); tests/storage/postgres-dead-connections.test.ts forces that case.
    const recovered = await postLogin(t().app, member.user.username, member.password);
    // What the server logged for this request says why, should it not have recovered.
    expect(recovered.statusCode, `${recovered.body}\n${t().logs.slice(logged).join('').slice(0, 3000)}`).toBe(200);
    expect((await t().app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });
});

// A connection that PostgreSQL ends while the server holds it (a transaction between two statements, the audit-head
// look of every 5 s mid-query) fails that work only: before, the pool heard errors of idle connections alone, and the
// client's unheard `error` event was an uncaught exception that ended the process (and made the test above flaky).
describe.skipIf(!postgresAdminUrl)('durability: a PostgreSQL connection ended while in use [postgres]', () => {
  const t = useTestApp('postgres');

  it('fails the transaction that held it, does not crash the process, and the next query works', async () => {
    const name = new URL((t().services.config.database as { url: string }).url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: postgresAdminUrl });
    await admin.connect();
    try {
      const outcome = await t()
        .services.database.transact(async (trx) => {
          await sql`SELECT 1`.execute(trx);
          await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
          // Long enough for the termination to reach the connection while the transaction still holds it.
          await new Promise((resolve) => setTimeout(resolve, 300));
          await sql`SELECT 1`.execute(trx);
          return 'committed';
        })
        .catch((error: unknown) => (t().services.database.isUnavailable(error) ? 'unavailable' : `other: ${String(error)}`));
      expect(outcome).toBe('unavailable');
    } finally {
      await admin.end();
    }
    expect((await sql<{ n: number }>`SELECT 1 AS n`.execute(t().services.database.db)).rows).toEqual([{ n: 1 }]);
  });
});
