import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { migrateToLatest, pendingMigrations } from '../../src/storage/migrate.js';
import { MigrationError } from '../../src/storage/migration-error.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { createTestDatabase, describeEachDatabase } from '../support/databases.js';

describeEachDatabase('migrations', (dialect) => {
  async function tableNames(database: ReturnType<typeof openDatabase>): Promise<string[]> {
    const tables = await database.db.introspection.getTables();
    return tables.map((table) => table.name).sort();
  }

  it('apply every migration once and report nothing pending afterwards', async () => {
    const test = await createTestDatabase(dialect);
    const database = openDatabase(test.config);
    try {
      expect(await pendingMigrations(database)).toEqual(migrations.map((m) => m.name));
      expect(await migrateToLatest(database)).toEqual(migrations.map((m) => m.name));
      expect(await migrateToLatest(database)).toEqual([]);
      expect(await pendingMigrations(database)).toEqual([]);
      expect(await tableNames(database)).toEqual(
        expect.arrayContaining([
          'users',
          'credentials',
          'sessions',
          'api_tokens',
          'projects',
          'project_access',
          'groups',
          'group_members',
          'audit_events',
        ]),
      );
    } finally {
      await database.destroy();
      await test.drop();
    }
  });

  it('leave the schema exactly as it was when a migration fails halfway', async () => {
    const test = await createTestDatabase(dialect);
    const database = openDatabase(test.config);
    try {
      await migrateToLatest(database);
      const before = await tableNames(database);
      const broken = {
        name: '9999-broken',
        // biome-ignore lint/suspicious/noExplicitAny: a migration sees an untyped schema.
        async up(db: any) {
          await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
          await sql`ALTER TABLE users ADD COLUMN nickname text`.execute(db);
          await sql`THIS IS NOT SQL`.execute(db);
        },
      };
      await expect(migrateToLatest(database, [...migrations, broken])).rejects.toBeInstanceOf(MigrationError);
      expect(await tableNames(database)).toEqual(before);
      const columns = (await database.db.introspection.getTables()).find((table) => table.name === 'users')?.columns.map((c) => c.name);
      expect(columns).not.toContain('nickname');
      const applied = await database.db.selectFrom('roster_migrations').select('name').execute();
      expect(applied.map((row) => row.name)).not.toContain('9999-broken');
    } finally {
      await database.destroy();
      await test.drop();
    }
  });
});
