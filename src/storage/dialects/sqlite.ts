import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, type SqliteDialectConfig, sql } from 'kysely';
import type { PreparedCall } from '../prepared-read.js';
import type { Schema } from '../schema.js';
import type { Database } from './driver.js';
import { SqliteReadLane } from './sqlite-read-lane.js';

/** SQLite through better-sqlite3: WAL, synchronous=FULL, foreign keys, busy timeout; writes in BEGIN IMMEDIATE. */
export function openSqlite(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const raw = new SqliteDatabase(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  const reader = file === ':memory:' ? null : openReader(file);
  const lane = file === ':memory:' ? null : new SqliteReadLane(file);
  const writer = preparedWriter(raw);

  return {
    name: 'sqlite',
    db,
    // The driver has one connection; `connection()` holds it for the whole callback, so in-process writers queue
    // here and other processes wait on the IMMEDIATE lock (busy_timeout).
    async transact(work, options) {
      const flush = options?.flush ?? true;
      return db.connection().execute(async (conn) => {
        // The connection is held for the whole callback, so the lighter setting covers this transaction only.
        if (!flush) await sql`PRAGMA synchronous = NORMAL`.execute(conn);
        try {
          await sql`BEGIN IMMEDIATE`.execute(conn);
          try {
            const result = await work(conn);
            await sql`COMMIT`.execute(conn);
            return result;
          } catch (error) {
            await sql`ROLLBACK`.execute(conn).catch(() => undefined);
            throw error;
          }
        } finally {
          if (!flush) await sql`PRAGMA synchronous = FULL`.execute(conn);
        }
      });
    },
    // BEGIN IMMEDIATE already serialises every writer, so named locks need nothing more.
    async lock() {},
    isUniqueViolation(error) {
      return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
    },
    isUnavailable(error) {
      const code = (error as { code?: string } | null)?.code ?? '';
      return ['SQLITE_BUSY', 'SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_READONLY'].some((c) => code.startsWith(c));
    },
    async readPrepared<R>(_name: string, text: string, values: readonly unknown[]): Promise<R[]> {
      // An in-memory database has no second connection: the read queues on Kysely's connection like any other.
      if (!reader) return (await db.executeQuery<R>(CompiledQuery.raw(text, [...values]))).rows;
      return reader(text)(values) as R[];
    },
    async writePrepared(statements, options) {
      // Kysely's one connection is held for the callback, so nothing else runs on `raw` meanwhile; the work inside is
      // synchronous, so no other request's statement can come between BEGIN and COMMIT either.
      return db.connection().execute(async () => writer(statements, options?.flush ?? true));
    },
    async readOffThread<R>(query: CompiledQuery<R>): Promise<R[]> {
      // An in-memory database cannot be opened from another thread: the read runs here, as any other.
      if (!lane) return (await db.executeQuery(query)).rows;
      return lane.run(query);
    },
    async destroy() {
      await lane?.close();
      reader?.close();
      await db.destroy();
    },
    raw: { sqlite: raw },
  };
}

/**
 * A second, read-only connection for prepared reads (`readPrepared`). It must not share the writer's connection: a
 * read made there while a transaction waits between two of its statements would see that transaction's uncommitted
 * rows. In WAL mode it reads the last committed state without waiting for writers.
 */
function openReader(file: string): ((text: string) => PreparedStatementRead) & { close(): void } {
  const connection = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  connection.pragma('busy_timeout = 5000');
  const statements = new Map<string, PreparedStatementRead>();
  const readFor = (text: string) => {
    let read = statements.get(text);
    if (!read) {
      const statement = connection.prepare(text).raw(true);
      const toRow = rowBuilder(statement.columns().map((column) => column.name));
      read = (values) => (statement.all(...values) as unknown[][]).map(toRow);
      statements.set(text, read);
    }
    return read;
  };
  return Object.assign(readFor, { close: () => connection.close() });
}

/**
 * The writer connection's prepared writes: BEGIN IMMEDIATE, the statements, COMMIT, each a statement prepared once (by
 * SQL text), run synchronously. Only `writePrepared` calls it, while it holds Kysely's connection.
 */
function preparedWriter(raw: SqliteDatabase.Database): (statements: readonly PreparedCall[], flush: boolean) => number[] {
  const statements = new Map<string, SqliteDatabase.Statement>();
  const statement = (text: string) => {
    let prepared = statements.get(text);
    if (!prepared) {
      prepared = raw.prepare(text);
      statements.set(text, prepared);
    }
    return prepared;
  };
  return (calls, flush) => {
    if (!flush) statement('PRAGMA synchronous = NORMAL').run();
    try {
      statement('BEGIN IMMEDIATE').run();
      try {
        const changes = calls.map((call) => statement(call.sql).run(...call.values).changes);
        statement('COMMIT').run();
        return changes;
      } catch (error) {
        if (raw.inTransaction) statement('ROLLBACK').run();
        throw error;
      }
    } finally {
      if (!flush) statement('PRAGMA synchronous = FULL').run();
    }
  };
}

type PreparedStatementRead = (values: readonly unknown[]) => Record<string, unknown>[];

/**
 * Rows as objects, cheaper than better-sqlite3 makes them: it sets a row's properties one by one from C++, which was
 * a third of the bearer-token read (22 columns: 16 µs, against 11 µs for the same read as arrays turned into objects
 * by one object literal, bench/README.md#what-one-sqlite-read-costs). The literal is generated once per statement
 * from the statement's own column names (never from input); a `__proto__` column, which a literal would turn into the
 * prototype, takes a slower path that keeps it a plain property.
 */
function rowBuilder(columns: readonly string[]): (row: readonly unknown[]) => Record<string, unknown> {
  if (columns.includes('__proto__')) return (row) => Object.fromEntries(columns.map((name, i) => [name, row[i]]));
  const fields = columns.map((name, i) => `${JSON.stringify(name)}: row[${i}]`).join(', ');
  return new Function('row', `return { ${fields} };`) as (row: readonly unknown[]) => Record<string, unknown>;
}

/**
 * Kysely prepares every query afresh; on the per-request path (token → user → groups) preparing cost more than
 * running (docs/product/speed-targets.md#targets, bench/). Statements are reused by SQL text, least recently used
 * dropped beyond `size`; a statement still being iterated (a streamed export) is never handed out twice. SQLite
 * re-prepares by itself after schema changes.
 */
function withStatementCache(raw: SqliteDatabase.Database, size = 256): SqliteDialectConfig['database'] {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => raw.close(),
    prepare(text: string) {
      const cached = cache.get(text);
      if (cached && !cached.busy) {
        cache.delete(text);
        cache.set(text, cached);
        return cached;
      }
      const statement = raw.prepare(text);
      if (!cached) {
        cache.set(text, statement);
        if (cache.size > size) cache.delete(cache.keys().next().value as string);
      }
      return statement;
    },
  };
}
