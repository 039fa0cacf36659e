import type { Kysely } from 'kysely';
import type { MigrationDialect } from './index.js';

// Frozen: never edit a migration that has shipped; add a new one instead. Migrations import no application code.

/**
 * The grants of a person's groups are read by subject: the projects list counts and walks them, and a page of projects
 * reads the grants on it that reach the person. `project_access_subject` held (subject_type, subject_id) only, so every
 * grant found cost one more read of the table for its project and role: 3,516 grants in 2,222 table pages for a person
 * in 50 groups of the bench's company graph. The index now holds all four columns the reads need and answers alone
 * (docs/product/speed-targets.md#at-company-scale).
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createIndex('project_access_by_subject')
    .on('project_access')
    .columns(['subject_type', 'subject_id', 'project_id', 'role'])
    .execute();
  await db.schema.dropIndex('project_access_subject').execute();
}
