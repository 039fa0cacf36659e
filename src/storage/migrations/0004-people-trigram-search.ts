import { type Kysely, sql } from 'kysely';
import type { MigrationDialect } from './index.js';

// Frozen: never edit a migration that has shipped; add a new one instead. Migrations import no application code.

/**
 * Trigram indexes for the People substring search (docs/product/speed-targets.md#targets: p99 ≤ 25 ms at 1,000,000
 * people).
 *
 * PostgreSQL: `pg_trgm` GIN indexes on the two searched columns; the planner uses them for `LIKE '%term%'` by itself
 * and chooses between them and an ordered scan of `users_status_username_id` from its row estimates.
 *
 * SQLite: an FTS5 table with the `trigram` tokenizer over the same two columns. It is an external-content table
 * (`content='users'`): it stores only the index, not a second copy of the text, and its rowids are the users' rowids.
 * Triggers keep it in step with every insert, delete and change of username or email, whoever writes the row (bulk
 * seeding excepted: it indexes its rows itself, see `storage/queries/bulk-users.ts`).
 * Queries re-check the LIKE on `users` itself, so the index only ever narrows the candidates and cannot change an
 * answer; `INSERT INTO users_search(users_search) VALUES ('rebuild')` rebuilds it from `users` should it drift.
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  if (dialect === 'postgres') {
    // A trusted extension since PostgreSQL 13: the database owner may create it, no superuser needed.
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
    await sql`CREATE INDEX users_username_trgm ON users USING gin (username gin_trgm_ops)`.execute(db);
    await sql`CREATE INDEX users_email_trgm ON users USING gin (email_canonical gin_trgm_ops)`.execute(db);
    return;
  }
  await sql`CREATE VIRTUAL TABLE users_search USING fts5(
    username, email_canonical, content='users', content_rowid='rowid', tokenize='trigram'
  )`.execute(db);
  // Seeded rows (`roster admin seed`) are indexed by the seeding transaction itself in one INSERT … SELECT, five times
  // faster than a trigger per row; every other insert is indexed here.
  await sql`CREATE TRIGGER users_search_insert AFTER INSERT ON users WHEN new.seeded = 0 BEGIN
    INSERT INTO users_search (rowid, username, email_canonical) VALUES (new.rowid, new.username, new.email_canonical);
  END`.execute(db);
  await sql`CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
    INSERT INTO users_search (users_search, rowid, username, email_canonical)
      VALUES ('delete', old.rowid, old.username, old.email_canonical);
  END`.execute(db);
  await sql`CREATE TRIGGER users_search_update AFTER UPDATE OF username, email_canonical ON users BEGIN
    INSERT INTO users_search (users_search, rowid, username, email_canonical)
      VALUES ('delete', old.rowid, old.username, old.email_canonical);
    INSERT INTO users_search (rowid, username, email_canonical) VALUES (new.rowid, new.username, new.email_canonical);
  END`.execute(db);
  await sql`INSERT INTO users_search (users_search) VALUES ('rebuild')`.execute(db);
}
