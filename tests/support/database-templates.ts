import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { createdByFile, postgresAdminUrl, sqliteTestDir, testDatabasePrefix } from './databases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A SQLite file with every migration applied, that `createTestDatabase(…, { migrated: true })` copies. */
    rosterSqliteTemplate: string;
    /** A PostgreSQL database with every migration applied, that `createTestDatabase(…, { migrated: true })` clones. */
    rosterPostgresTemplate: string;
    /** This run's tag in the names of its test databases, by which the teardown finds what the run left behind. */
    rosterTestRun: string;
  }
}

/**
 * Runs once in Vitest's main process, before any worker: migrates one SQLite file and (with ROSTER_TEST_DATABASE_URL)
 * one PostgreSQL database, so that suites that only need a current schema copy it (a file copy; `CREATE DATABASE …
 * TEMPLATE`) instead of running every migration again (docs/decisions/0022-test-run-speed.md). Both are made by this
 * run's migrations, so a migration added since the last run is in them; both are removed at the end. Suites about
 * migrating itself (tests/storage/migrations.test.ts, first start) still begin from an empty database.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const run = randomBytes(4).toString('hex');
  project.provide('rosterTestRun', run);
  const dir = fs.mkdtempSync(path.join(sqliteTestDir, 'roster-template-'));
  const file = path.join(dir, 'roster.db');
  const sqlite = openDatabase({ kind: 'sqlite', file, url: `sqlite:${file}` });
  await migrateToLatest(sqlite);
  await sqlite.destroy();
  project.provide('rosterSqliteTemplate', file);

  let postgresTemplate: string | undefined;
  if (postgresAdminUrl) {
    postgresTemplate = `roster_test_template_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${postgresTemplate}`);
    const url = new URL(postgresAdminUrl);
    url.pathname = `/${postgresTemplate}`;
    const postgres = openDatabase({ kind: 'postgres', url: url.href });
    await migrateToLatest(postgres);
    await postgres.destroy();
    project.provide('rosterPostgresTemplate', postgresTemplate);
  }

  return async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (postgresTemplate) await adminQuery(`DROP DATABASE IF EXISTS ${postgresTemplate} WITH (FORCE)`);
    const left = await dropDatabasesLeftBehind(run);
    if (left.length === 0) return;
    // Vitest reports an error thrown here ("error during close") but would still exit 0: the run fails by its exit code.
    process.exitCode = 1;
    throw new Error(
      `${left.length} test database(s) left behind by this run (now dropped); the test that made each must close its app or drop its database:\n  ${left.join('\n  ')}`,
    );
  };
}

/**
 * Every test database is dropped by the test that made it (its app's or its own `close()`/`drop()`). One still there
 * when the run ends is a leak: a run of the whole suite would fill the server and the disk over time, and a later
 * run must never see it. The teardown drops what the run `run` left and fails the run with this list, which names the
 * test file that made each (a SQLite folder's `created-by` file, a PostgreSQL database's COMMENT).
 */
export async function dropDatabasesLeftBehind(run: string): Promise<string[]> {
  const left: string[] = [];
  for (const name of fs.readdirSync(sqliteTestDir).filter((entry) => entry.startsWith(`${testDatabasePrefix.sqlite}${run}-`))) {
    const folder = path.join(sqliteTestDir, name);
    const createdBy = path.join(folder, createdByFile);
    left.push(`SQLite ${folder} (made by ${fs.existsSync(createdBy) ? fs.readFileSync(createdBy, 'utf8') : 'an unknown file'})`);
    fs.rmSync(folder, { recursive: true, force: true });
  }
  if (postgresAdminUrl) {
    const admin = new pg.Client({ connectionString: postgresAdminUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string; origin: string | null }>(
        "SELECT datname, shobj_description(oid, 'pg_database') AS origin FROM pg_database WHERE datname LIKE $1 ORDER BY datname",
        [`${testDatabasePrefix.postgres}${run}\\_%`],
      );
      for (const row of rows) {
        left.push(`PostgreSQL ${row.datname} (made by ${row.origin ?? 'an unknown file'})`);
        await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
      }
    } finally {
      await admin.end();
    }
  }
  return left;
}

async function adminQuery(text: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}
