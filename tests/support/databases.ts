import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject } from 'vitest';
import type { DatabaseConfig } from '../../src/config/config.js';

export type TestDialect = 'sqlite' | 'postgres';

export const postgresAdminUrl = process.env.ROSTER_TEST_DATABASE_URL?.trim() || undefined;
export const postgresSkipReason = 'skipped: set ROSTER_TEST_DATABASE_URL to run the PostgreSQL half of this suite';

let warned = false;
/** Every storage and API suite runs once per dialect; PostgreSQL only when ROSTER_TEST_DATABASE_URL is set. */
export function describeEachDatabase(title: string, body: (dialect: TestDialect) => void): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const skip = dialect === 'postgres' && !postgresAdminUrl;
    if (skip && !warned) {
      warned = true;
      console.warn(postgresSkipReason);
    }
    describe.skipIf(skip)(`${title} [${dialect}]`, () => body(dialect));
  }
}

export interface TestDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/**
 * Where test SQLite files live: /dev/shm (memory) when the machine has it, so a suite's fsyncs cost no disk time. The
 * files, journal and locking are the same as on disk; only power-loss durability differs, which no test can observe.
 */
export const sqliteTestDir = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();

/** A value the global setup provided (tests/support/database-templates.ts), or undefined outside a Vitest run. */
function provided(key: 'rosterSqliteTemplate' | 'rosterPostgresTemplate' | 'rosterTestRun'): string | undefined {
  try {
    return inject(key) || undefined;
  } catch {
    return undefined;
  }
}

export interface TestDatabaseOptions {
  /**
   * Start with every migration applied: a copy of the SQLite file or a clone (`CREATE DATABASE … TEMPLATE`) of the
   * PostgreSQL database that the run's global setup migrated once (tests/support/database-templates.ts), the same
   * schema and rows `migrateToLatest` makes, without running the migrations again. Without it the database is empty.
   */
  migrated?: boolean;
  /** The run tag in its name; this run's by default (the test of the leak check names a run of its own). */
  run?: string;
}

/**
 * A fresh database of its own: a temp SQLite file, or a PostgreSQL database with a random name dropped afterwards;
 * empty, or migrated with `{ migrated: true }`. The PostgreSQL database commits without waiting for its WAL flush
 * (`synchronous_commit = off`, set on that database only): transactions, locks and isolation are unchanged, a commit
 * just does not wait for the disk.
 */
export async function createTestDatabase(dialect: TestDialect, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const run = options.run ?? provided('rosterTestRun') ?? 'solo';
  const origin = creatingTestFile();
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(sqliteTestDir, `${testDatabasePrefix.sqlite}${run}-`));
    fs.writeFileSync(path.join(dir, createdByFile), origin);
    const file = path.join(dir, 'roster.db');
    const template = options.migrated ? provided('rosterSqliteTemplate') : undefined;
    if (template) fs.copyFileSync(template, file);
    return {
      config: { kind: 'sqlite', file, url: `sqlite:${file}` },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (!postgresAdminUrl) throw new Error(postgresSkipReason);
  const name = `${testDatabasePrefix.postgres}${run}_${randomBytes(6).toString('hex')}`;
  const template = options.migrated ? provided('rosterPostgresTemplate') : undefined;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  await admin.query(`COMMENT ON DATABASE ${name} IS ${admin.escapeLiteral(origin)}`);
  await admin.end();
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', url: url.href },
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresAdminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * How test databases are named: the prefix, then the run's tag (the global setup's `rosterTestRun`), then a random
 * part. The global teardown finds by it what a run left behind (tests/support/database-templates.ts).
 */
export const testDatabasePrefix = { postgres: 'roster_test_', sqlite: 'roster-test-' } as const;

/** The file in a SQLite test database's folder that names the test file which made it (a PostgreSQL one: its COMMENT). */
export const createdByFile = 'created-by';

/** The test file calling, relative to the repository, so that a database left behind names who made it. */
function creatingTestFile(): string {
  let testPath: string | undefined;
  try {
    testPath = expect.getState().testPath;
  } catch {
    testPath = undefined;
  }
  return testPath ? path.relative(process.cwd(), testPath) : 'outside a test file';
}
