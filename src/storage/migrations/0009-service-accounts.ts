import { type Kysely, sql } from 'kysely';
import type { MigrationDialect } from './index.js';

// Frozen: never edit a migration that has shipped; add a new one instead. Migrations import no application code.

/**
 * Service accounts (docs/product/service-accounts.md, docs/decisions/0018): machine identities stored beside people,
 * since they own projects, hold grants and join groups like people do.
 *
 * - `users.type` is `person` or `service_account`; `description` and `created_by` (the person who made it, kept as a
 *   plain id: removing that person changes nothing about the account).
 * - Deactivation is its own column, `deactivated_at`, not a third `status`: `status` stays the row's lifecycle
 *   (`active`, `removed`) that every uniqueness index and every "active account" read already means, and SQLite cannot
 *   change a CHECK constraint without rebuilding `users` (and every table referencing it). A deactivated service
 *   account keeps its name, grants and memberships; only its token stops.
 * - A service account has no email: it stores `''`, and the unique email index now covers people only.
 * - `api_tokens` gains `expires_at` (null: never; personal tokens never expire) and `last_used_ip`.
 * - `users_type_status_username_id` orders the service-account list as an index range.
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('type', 'text', (c) => c.notNull().defaultTo('person'))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('users').addColumn('created_by', 'text').execute();
  await db.schema.alterTable('users').addColumn('deactivated_at', 'text').execute();

  await sql`DROP INDEX users_email_active`.execute(db);
  await sql`CREATE UNIQUE INDEX users_email_active ON users (email_canonical) WHERE status = 'active' AND type = 'person'`.execute(db);
  await db.schema.createIndex('users_type_status_username_id').on('users').columns(['type', 'status', 'username', 'id']).execute();
  await db.schema.createIndex('users_created_by').on('users').column('created_by').execute();

  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();
  await db.schema.alterTable('api_tokens').addColumn('last_used_ip', 'text').execute();
}
