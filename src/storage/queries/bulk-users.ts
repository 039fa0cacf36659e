import { sql } from 'kysely';
import type { Database, Executor } from '../database.js';

/**
 * Bulk loading of `count` users (`roster admin seed`, docs/product/running.md#command-line), inside the caller's
 * transaction. On SQLite the load gets a large page cache (random-key inserts into a dozen B-trees otherwise spill to
 * the WAL on every batch); a load at least as large as the table drops the table's non-unique indexes and builds them
 * again at the end from their own SQL (one sort each, instead of a random insert per row and index), while the unique
 * ones stay, since they decide which generated names are taken; and the FTS5 search index of migration 0004 is filled
 * with one INSERT … SELECT at the end: its insert trigger skips seeded rows because a trigger per row costs five times
 * as much. All of it is in the transaction: a failed load leaves the indexes as they were. On PostgreSQL the GIN
 * (trigram) pending lists are merged into the indexes with far more memory than the 4 MB default (half the load time)
 * and emptied before the commit, so no searcher pays for them later.
 */
export async function startBulkUserLoad(database: Database, trx: Executor, count: number): Promise<{ finish(): Promise<void> }> {
  if (database.name === 'postgres') {
    await sql`SET LOCAL work_mem = '256MB'`.execute(trx);
    await sql`SET LOCAL gin_pending_list_limit = '16MB'`.execute(trx);
    return {
      async finish() {
        // Move what the larger pending lists collected into the GIN trees now, rather than on a searcher's time.
        await sql`SELECT gin_clean_pending_list('users_username_trgm'::regclass), gin_clean_pending_list('users_email_trgm'::regclass)`.execute(
          trx,
        );
        // Fresh statistics at once (autovacuum would take a while), so the planner weighs trigram against ordered scans.
        await sql`ANALYZE users`.execute(trx);
      },
    };
  }
  await sql`PRAGMA cache_size = -262144`.execute(trx);
  const before = await sql<{ last: number | null }>`SELECT max(rowid) AS last FROM users`.execute(trx);
  const after = before.rows[0]?.last ?? 0;
  // The largest rowid stands for the table's size, near enough to tell whether the load at least doubles it.
  const rebuilt = count >= after ? await dropNonUniqueUserIndexes(trx) : [];
  return {
    async finish() {
      for (const index of rebuilt) await sql.raw(index.sql).execute(trx);
      await sql`INSERT INTO users_search (rowid, username, email_canonical)
        SELECT rowid, username, email_canonical FROM users WHERE rowid > ${after} AND seeded = 1`.execute(trx);
      await sql`PRAGMA cache_size = -2000`.execute(trx);
    },
  };
}

/** SQLite: drops the non-unique indexes of `users` and answers how to build them again (their own `CREATE INDEX`). */
async function dropNonUniqueUserIndexes(trx: Executor): Promise<Array<{ name: string; sql: string }>> {
  const indexes = await sql<{ name: string; sql: string }>`SELECT name, sql FROM sqlite_master
    WHERE type = 'index' AND tbl_name = 'users' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE %'`.execute(trx);
  for (const index of indexes.rows) await sql`DROP INDEX ${sql.id(index.name)}`.execute(trx);
  return indexes.rows;
}
