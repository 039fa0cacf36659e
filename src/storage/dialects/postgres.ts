import { type CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Schema } from '../schema.js';
import { busyError, type Database, heavyReadConcurrency, heavyReadQueueLimit, type LockName } from './driver.js';

const lockKeys: Record<LockName, number> = {
  // Arbitrary, fixed advisory-lock keys; one per invariant that spans rows.
  audit_chain: 0x526f_0001,
  owners: 0x526f_0002,
  migrations: 0x526f_0003,
  oidc_keys: 0x526f_0004,
};
const retryableCodes = new Set(['40001', '40P01']);
/**
 * How often a request tries another connection when the one it got had died while idle in the pool (after PostgreSQL
 * restarted, or an administrator terminated the backends, before the pool noticed): nothing ran on it yet, so trying
 * again changes nothing; a database that is really down fails every attempt and answers 503 as before.
 */
const deadConnectionAttempts = 3;

/**
 * Network failures, SQLSTATE class 08 (connection exception), 57P0x (shutdown, crash, cannot connect now), 53xxx
 * (insufficient resources: disk full, out of memory, too many connections) and a database that refuses connections
 * (ALTER DATABASE … ALLOW_CONNECTIONS false, during maintenance); and a statement sent on a connection that broke
 * earlier in its transaction (pg: "… is not queryable").
 */
function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? '';
  const message = error instanceof Error ? error.message : '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH'].includes(code) ||
    /^(08|53|57P0)/.test(code) ||
    (code === '55000' && /accepting connections/.test(message)) ||
    /Connection terminated|timeout exceeded when trying to connect|is not queryable/i.test(message)
  );
}

/** Worth another connection: unavailable, but not a wait for a connection that timed out (that would wait again). */
const mayTryAnotherConnection = (error: unknown) =>
  isUnavailable(error) && !/timeout exceeded when trying to connect/i.test(error instanceof Error ? error.message : '');

/**
 * Runs a transaction until it commits: again on another connection when the one it got had died before the transaction
 * began (`began` not yet called), and up to five times on a deadlock or serialization failure.
 */
async function retried<T>(attempt: (began: () => void) => Promise<T>): Promise<T> {
  for (let attempts = 1; ; attempts++) {
    let began = false;
    try {
      return await attempt(() => {
        began = true;
      });
    } catch (error) {
      if (!began && attempts < deadConnectionAttempts && mayTryAnotherConnection(error)) continue;
      const code = (error as { code?: string } | null)?.code;
      if (!code || !retryableCodes.has(code) || attempts >= 5) throw error;
    }
  }
}

/** PostgreSQL through a pg pool: READ COMMITTED plus advisory locks for invariants, retried on deadlock. */
export function openPostgres(url: string, poolSize = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  // A broken connection must not crash the process; the query it was running, or the next one, reports the failure
  // instead. The pool listens only while a connection is idle: one that dies while checked out (inside a transaction,
  // between two of its statements, when PostgreSQL restarts or terminates the backend) emits `error` on the client,
  // which nothing else listens to, and an unheard `error` event is an uncaught exception.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  // Heavy reads run in PostgreSQL's own processes, so they never block the event loop; what they could take from other
  // requests is the pool's connections (and CPU), hence a small fixed share.
  let heavyRunning = 0;
  const heavyWaiting: Array<() => void> = [];

  return {
    name: 'postgres',
    db,
    async transact(work, options) {
      const flush = options?.flush ?? true;
      return retried((began) =>
        db.transaction().execute(async (trx) => {
          if (!flush) await sql`SET LOCAL synchronous_commit = off`.execute(trx);
          began();
          return work(trx);
        }),
      );
    },
    async writePrepared(statements, options) {
      const flush = options?.flush ?? true;
      return retried(async (began) => {
        const client = await pool.connect();
        let broken: Error | undefined;
        try {
          await client.query(flush ? 'BEGIN' : 'BEGIN; SET LOCAL synchronous_commit = off');
          began();
          const changes: number[] = [];
          for (const call of statements)
            changes.push((await client.query({ name: call.name, text: call.sql, values: call.values })).rowCount ?? 0);
          await client.query('COMMIT');
          return changes;
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: Error) => {
            broken = rollbackError;
          });
          throw error;
        } finally {
          client.release(broken);
        }
      });
    },
    async lock(trx, name) {
      await sql`SELECT pg_advisory_xact_lock(${lockKeys[name]})`.execute(trx);
    },
    isUniqueViolation(error) {
      return (error as { code?: string } | null)?.code === '23505';
    },
    isUnavailable,
    async readPrepared<R>(name: string, text: string, values: readonly unknown[]): Promise<R[]> {
      // A named statement is parsed and planned once per pooled connection, then only bound and executed. A read
      // changes nothing, so one that met a dead connection runs again on another.
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await pool.query({ name, text, values: [...values] });
          return result.rows as R[];
        } catch (error) {
          if (attempt >= deadConnectionAttempts || !mayTryAnotherConnection(error)) throw error;
        }
      }
    },
    async readOffThread<R>(query: CompiledQuery<R>): Promise<R[]> {
      if (heavyRunning >= heavyReadConcurrency) {
        if (heavyWaiting.length >= heavyReadQueueLimit) throw busyError();
        await new Promise<void>((resolve) => heavyWaiting.push(resolve));
      } else heavyRunning++;
      try {
        return (await db.executeQuery(query)).rows;
      } finally {
        // Hand the slot straight to the next waiter (the count stays), or free it.
        const next = heavyWaiting.shift();
        if (next) next();
        else heavyRunning--;
      }
    },
    async destroy() {
      await db.destroy();
    },
    raw: { pool },
  };
}
