import { type Kysely, sql } from 'kysely';
import type { MigrationDialect } from './index.js';

// Frozen: never edit a migration that has shipped; add a new one instead. Migrations import no application code.

/**
 * Indexes for the People list (docs/product/console.md#people, docs/product/speed-targets.md#targets): keyset pages
 * ordered by (username, id), prefix search on username and on the canonical email as index ranges (`col >= q AND col <
 * q || U+FFFF`), optional role filter.
 *
 * PostgreSQL compares text with the database collation, which cannot drive prefix ranges or `LIKE 'q%'` unless it is
 * "C". The searched columns (lower-case ASCII by construction, docs/product/data.md#usernames,
 * docs/product/data.md#emails) therefore get the "C" collation, so every index on them is a "C" index and both
 * databases sort them byte-wise, i.e. identically (SQLite's BINARY).
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`ALTER TABLE users ALTER COLUMN username TYPE text COLLATE "C"`.execute(db);
    await sql`ALTER TABLE users ALTER COLUMN email_canonical TYPE text COLLATE "C"`.execute(db);
    await sql`ALTER TABLE projects ALTER COLUMN name_canonical TYPE text COLLATE "C"`.execute(db);
  }
  await db.schema.createIndex('users_status_username_id').on('users').columns(['status', 'username', 'id']).execute();
  await db.schema.createIndex('users_status_role_username_id').on('users').columns(['status', 'role', 'username', 'id']).execute();
  await db.schema.createIndex('users_status_email_id').on('users').columns(['status', 'email_canonical', 'id']).execute();
  // The composite indexes cover what this one did (status = 'active' AND role = ?), ordered.
  await db.schema.dropIndex('users_role_active').execute();
}
