import type { Kysely } from 'kysely';
import type { MigrationDialect } from './index.js';

// Frozen: never edit a migration that has shipped; add a new one instead. Migrations import no application code.

/**
 * The secret store's canary (docs/product/security-settings.md#secrets-the-server-reads-back): one row holding a
 * known value encrypted under the instance's secret key, written at the first start that has a key. Every later start
 * decrypts it and refuses to run when it does not decrypt (a wrong or missing key) instead of making a new key next
 * to secrets nobody could read any more. `roster secrets rekey` rewrites it with every other encrypted column.
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable('secret_canary')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
