import type { Kysely } from 'kysely';
import type { MigrationDialect } from './index.js';

// Frozen: never edit a migration that has shipped; add a new one instead. Migrations import no application code.

/**
 * The email-prefix phase of a People search with a role filter reads `(status, role, email_canonical, id)` in order,
 * so the role is part of the index range instead of a filter that could skip any number of rows
 * (docs/product/security-settings.md#bounded-work). Without a role the phase keeps using `users_status_email_id`
 * (migration 0002).
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.createIndex('users_status_role_email_id').on('users').columns(['status', 'role', 'email_canonical', 'id']).execute();
}
