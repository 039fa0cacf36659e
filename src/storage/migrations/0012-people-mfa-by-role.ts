import type { Kysely } from 'kysely';
import type { MigrationDialect } from './index.js';

// Frozen: never edit a migration that has shipped; add a new one instead. Migrations import no application code.

/**
 * The People list with both a role and a two-factor filter (`?role=member&mfa=enabled`) reads
 * `(status, role, mfa_enabled, username, id)` in order, so both are part of the index range. With the indexes of
 * migrations 0006 and 0010 alone, one of them was a filter that could skip any number of rows on the request thread:
 * every Member, to find the few with a second factor (docs/product/security-settings.md#bounded-work).
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createIndex('users_status_role_mfa_username_id')
    .on('users')
    .columns(['status', 'role', 'mfa_enabled', 'username', 'id'])
    .execute();
}
