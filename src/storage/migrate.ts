import { sql } from 'kysely';
import type { Database } from './database.js';
import { MigrationError } from './migration-error.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';

/**
 * Applies every pending migration, each in its own transaction together with its bookkeeping row, so a failure
 * leaves the schema exactly as it was before that migration. Both dialects have transactional DDL; Kysely's own
 * Migrator does not use it on SQLite, hence this small runner (docs/decisions/0003-storage.md).
 */
export async function migrateToLatest(database: Database, migrations: readonly Migration[] = allMigrations): Promise<string[]> {
  await database.db.schema
    .createTable('roster_migrations')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
  const applied: string[] = [];
  for (const migration of migrations) {
    const ran = await database.transact(async (trx) => {
      await database.lock(trx, 'migrations');
      const done = await trx.selectFrom('roster_migrations').select('name').where('name', '=', migration.name).executeTakeFirst();
      if (done) return false;
      try {
        await migration.up(trx, database.name);
      } catch (error) {
        throw new MigrationError(migration.name, error);
      }
      await trx.insertInto('roster_migrations').values({ name: migration.name, applied_at: new Date().toISOString() }).execute();
      return true;
    });
    if (ran) applied.push(migration.name);
  }
  return applied;
}

/** Names of the migrations recorded as applied, known to this version or not; empty before the first migration. */
export async function appliedMigrations(database: Database): Promise<string[]> {
  const exists = await sql<{ n: number }>`SELECT 1 AS n FROM roster_migrations LIMIT 1`
    .execute(database.db)
    .then(() => true)
    .catch(() => false);
  if (!exists) return [];
  const rows = await database.db.selectFrom('roster_migrations').select('name').execute();
  return rows.map((r) => r.name);
}

/** Names of known migrations not yet applied (used by /readyz and `roster doctor`). */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const done = new Set(await appliedMigrations(database));
  return allMigrations.filter((m) => !done.has(m.name)).map((m) => m.name);
}
