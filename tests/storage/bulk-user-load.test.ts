import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { seedPeople } from '../../src/domain/people/seed-people.js';
import { describeEachDatabase } from '../support/databases.js';
import { buildApiToken, buildOwner } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';

/**
 * `roster admin seed --people` (src/storage/queries/bulk-users.ts): on SQLite a load at least as large as the table
 * drops the table's non-unique indexes and builds them again from their own SQL at the end. Whatever the load does to
 * the indexes, afterwards they must be exactly the ones the migrations made, and the seeded people must be found.
 */
describeEachDatabase('seeding people in bulk', (dialect) => {
  const t = useTestApp(dialect);

  const usersIndexes = async () => {
    const db = t().services.database.db;
    const rows =
      dialect === 'sqlite'
        ? await sql<{ name: string; definition: string | null }>`SELECT name, sql AS definition FROM sqlite_master
            WHERE type = 'index' AND tbl_name = 'users' ORDER BY name`.execute(db)
        : await sql<{ name: string; definition: string }>`SELECT indexname AS name, indexdef AS definition FROM pg_indexes
            WHERE tablename = 'users' ORDER BY indexname`.execute(db);
    return rows.rows;
  };

  it('leaves every index of users as the migrations made it, and the seeded people are found by prefix and substring', async () => {
    const before = await usersIndexes();
    expect(before.length).toBeGreaterThan(8);
    const db = t().services.database.db;
    const existing = Number(
      (
        await db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    // More than the table holds: on SQLite the load that rebuilds the non-unique indexes.
    const { created } = await seedPeople(t().cliContext(), { count: existing + 300 });
    expect(created).toBe(existing + 300);
    expect(await usersIndexes()).toEqual(before);

    const seeded = await db
      .selectFrom('users')
      .select(['id', 'username'])
      .where('seeded', '=', 1)
      .orderBy('username')
      .offset(7)
      .limit(1)
      .executeTakeFirstOrThrow();
    const owner = await buildOwner(t());
    const token = await buildApiToken(t(), owner.user);
    const found = async (query: string) => {
      const response = await t().app.inject({
        method: 'GET',
        url: `/api/v1/people?query=${encodeURIComponent(query)}&limit=500`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(200);
      return (response.json() as { items: Array<{ id: string }> }).items.map((item) => item.id);
    };
    expect(await found(seeded.username.slice(0, 6))).toContain(seeded.id);
    expect(await found(seeded.username.slice(2, 8))).toContain(seeded.id);
  });
});
