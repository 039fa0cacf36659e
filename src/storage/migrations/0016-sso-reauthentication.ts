import type { Kysely } from 'kysely';
import type { MigrationDialect } from './index.js';

// Frozen: never edit a migration that has shipped; add a new one instead. Migrations import no application code.

/**
 * A fresh provider login standing in for the current password (SPEC §12.2, docs/sso.md#confirming-its-you-without-a-password,
 * docs/decisions/0025-sso-login.md): `sessions.reauthenticated_at` is when the person of this session last logged in
 * again at a provider they are linked to (`max_age=0`); for five minutes after it, a person without a password may
 * leave out `currentPassword`. `sso_states.purpose` gains the value `reauth` (a text column: no change needed).
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('reauthenticated_at', 'text').execute();
}
