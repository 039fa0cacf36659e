import type { Kysely } from 'kysely';
import type { MigrationDialect } from './index.js';

// Frozen: never edit a migration that has shipped; add a new one instead. Migrations import no application code.

/**
 * A person's groups are read on every request (the bearer-token lookup aggregates them, and a decision on a project
 * probes the project's grants for each of them): `group_members_user` held only `user_id`, so each membership cost
 * one more read of the table to learn its `group_id`. The index now holds both columns and answers alone
 * (docs/product/speed-targets.md#at-company-scale: a person in 50 groups).
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.createIndex('group_members_user_group').on('group_members').columns(['user_id', 'group_id']).execute();
  await db.schema.dropIndex('group_members_user').execute();
}
