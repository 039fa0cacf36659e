import type Sqlite from 'better-sqlite3';
import type { CompiledQuery, Kysely, Transaction } from 'kysely';
import type pg from 'pg';
import type { PreparedCall } from '../prepared-read.js';
import type { Schema } from '../schema.js';

export type DialectName = 'sqlite' | 'postgres';
/** Invariants that span rows and need writers serialised (R1's Owner count, the audit hash chain). */
export type LockName = 'audit_chain' | 'owners' | 'migrations' | 'oidc_keys';
export type Executor = Kysely<Schema> | Transaction<Schema>;

/** What the rest of the code may know about a database; only `storage/dialects/` knows which one it is. */
export interface Database {
  name: DialectName;
  db: Kysely<Schema>;
  /**
   * Runs `work` in a writing transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: retried on deadlock). With
   * `{ flush: false }` the commit is atomic and visible at once but does not wait for the disk (SQLite
   * `synchronous = NORMAL`, PostgreSQL `synchronous_commit = off`, for this transaction only): the next flushed commit
   * carries it to disk, and only an OS or database crash before that can lose it. For counters that precede a durable
   * write (docs/decisions/0005-login-throttling.md).
   */
  transact<T>(work: (trx: Kysely<Schema>) => Promise<T>, options?: { flush?: boolean }): Promise<T>;
  /** Takes a named lock held until the surrounding transaction ends. */
  lock(trx: Executor, name: LockName): Promise<void>;
  isUniqueViolation(error: unknown): boolean;
  /** True for errors that mean "the database is not reachable or cannot write right now" (→ 503). */
  isUnavailable(error: unknown): boolean;
  /**
   * Runs a read compiled once (`storage/prepared-read.ts`) as a prepared statement, outside any transaction, on
   * committed data only (SQLite: a separate read-only connection; PostgreSQL: a named statement on a pooled client).
   */
  readPrepared<R>(name: string, sql: string, values: readonly unknown[]): Promise<R[]>;
  /**
   * Runs writes compiled once (`preparedWrite` in `storage/prepared-read.ts`) as prepared statements, in order, in one
   * writing transaction with the same `flush` choice as `transact`; the number of rows each changed. SQLite: on the
   * writer's connection, held as `transact` holds it, with no await between the statements; PostgreSQL: named
   * statements on one pooled client, retried as `transact` is.
   */
  writePrepared(statements: readonly PreparedCall[], options?: { flush?: boolean }): Promise<number[]>;
  /**
   * Runs a read whose cost no index bounds (a trigram search) where it cannot hold up other requests
   * (docs/product/security-settings.md#bounded-work), on committed data only. SQLite: on a worker thread with its own
   * read-only connection, one statement at a time (a statement blocks the thread that runs it). PostgreSQL: on the
   * pool, at most `heavyReadConcurrency` at once, so such reads never hold the connections that logins and `/authorize`
   * need. Beyond `heavyReadQueueLimit` waiting reads it fails at once with an error whose `code` is `ROSTER_BUSY`.
   */
  readOffThread<R>(query: CompiledQuery<R>): Promise<R[]>;
  destroy(): Promise<void>;
  raw: { sqlite?: Sqlite.Database; pool?: pg.Pool };
}

/**
 * Reads that `readOffThread` runs at once on PostgreSQL (of a pool of 10): one core's worth, like SQLite's one read lane,
 * so that on the 2-core machine of the speed targets (docs/product/speed-targets.md#targets) heavy reads never take
 * every core from logins and `/authorize`.
 */
export const heavyReadConcurrency = 1;
/** Reads that may wait for `readOffThread`; more are refused with `ROSTER_BUSY` (→ 429) instead of queueing without bound. */
export const heavyReadQueueLimit = 64;

/** The error `readOffThread` fails with when its queue is full. */
export function busyError(): Error {
  return Object.assign(new Error('Too many heavy reads are waiting.'), { code: 'ROSTER_BUSY' });
}

export function isBusyError(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'ROSTER_BUSY';
}
