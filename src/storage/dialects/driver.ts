import type Sqlite from 'better-sqlite3';
import type { Kysely, Transaction } from 'kysely';
import type pg from 'pg';
import type { Schema } from '../schema.js';

export type DialectName = 'sqlite' | 'postgres';
/** Invariants that span rows and need writers serialised (R1's Owner count, the audit hash chain). */
export type LockName = 'audit_chain' | 'owners' | 'migrations';
export type Executor = Kysely<Schema> | Transaction<Schema>;

/** What the rest of the code may know about a database; only `storage/dialects/` knows which one it is. */
export interface DialectDriver {
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
  destroy(): Promise<void>;
  raw: { sqlite?: Sqlite.Database; pool?: pg.Pool };
}
