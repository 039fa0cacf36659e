import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { preparedRead, preparedWrite } from '../../src/storage/prepared-read.js';
import { postgresAdminUrl, postgresSkipReason } from '../support/databases.js';
import { useTestApp } from '../support/test-app.js';

if (!postgresAdminUrl) console.warn(`PostgreSQL dead connections: ${postgresSkipReason}`);

const countUsers = preparedRead<Record<string, never>, { n: string }>('test_dead_connection_count', (db) =>
  db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')),
);

const touchSettings = preparedWrite<{ at: string }>('test_dead_connection_touch', (db, param) =>
  db
    .updateTable('security_settings')
    .set({ updated_at: param('at') })
    .where('id', '=', 1),
);

// After PostgreSQL restarts or an administrator terminates the backends, the pool still holds connections that look
// idle until they are used. A request that meets one must not fail for it: a transaction whose BEGIN fails on a dead
// connection has done nothing yet, and a read can always run again, so both take another connection. (A CI run once
// answered a login 503 right after the database came back: read ECONNRESET at BEGIN.)
describe.skipIf(!postgresAdminUrl)('PostgreSQL connections that died while idle in the pool', () => {
  const t = useTestApp('postgres');
  const database = () => t().services.database;

  /**
   * Fills the pool with idle connections, has another process terminate every backend of the database while this
   * process's event loop is blocked (so the pool cannot notice before the next request, as in the moment after
   * PostgreSQL restarted), and starts `requests` in that same turn: each gets a connection that is already dead.
   */
  async function onConnectionsKilledWhileIdle<T>(requests: () => Promise<T>[]): Promise<T[]> {
    await Promise.all(Array.from({ length: 4 }, () => database().db.selectFrom('users').select('id').limit(1).execute()));
    const name = new URL((t().services.config.database as { url: string }).url).pathname.slice(1);
    const killer = `const c = new (require('pg').Client)(process.env.ADMIN_URL);
      c.connect().then(() => c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [process.env.DB_NAME])).then(() => c.end());`;
    execFileSync(process.execPath, ['-e', killer], { env: { ...process.env, ADMIN_URL: postgresAdminUrl, DB_NAME: name } });
    return Promise.all(requests());
  }

  it('runs a transaction on another connection when BEGIN meets a dead one', async () => {
    const users = (await database().db.selectFrom('users').select('id').limit(1).execute()).length;
    for (let round = 0; round < 3; round++) {
      const answers = await onConnectionsKilledWhileIdle(() =>
        Array.from({ length: 4 }, () =>
          database().transact(async (trx) => (await trx.selectFrom('users').select('id').limit(1).execute()).length),
        ),
      );
      expect(answers).toEqual([users, users, users, users]);
    }
  });

  it('runs a prepared read again on another connection when it meets a dead one', async () => {
    const users = Number((await countUsers(database(), {}))[0]?.n);
    for (let round = 0; round < 3; round++) {
      const answers = await onConnectionsKilledWhileIdle(() => Array.from({ length: 4 }, () => countUsers(database(), {})));
      expect(answers.map((rows) => Number(rows[0]?.n))).toEqual([users, users, users, users]);
    }
  });

  it('runs prepared writes on another connection when BEGIN meets a dead one', async () => {
    for (let round = 0; round < 3; round++) {
      const at = new Date(Date.UTC(2026, 0, 1 + round)).toISOString();
      const answers = await onConnectionsKilledWhileIdle(() =>
        Array.from({ length: 4 }, () => database().writePrepared([touchSettings(database(), { at })], { flush: round % 2 === 0 })),
      );
      expect(answers).toEqual([[1], [1], [1], [1]]);
    }
  });
});
