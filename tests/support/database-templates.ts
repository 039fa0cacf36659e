import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { postgresAdminUrl, sqliteTestDir } from './databases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A SQLite file with every migration applied, that `createTestDatabase(…, { migrated: true })` copies. */
    rosterSqliteTemplate: string;
    /** A PostgreSQL database with every migration applied, that `createTestDatabase(…, { migrated: true })` clones. */
    rosterPostgresTemplate: string;
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
  };
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
