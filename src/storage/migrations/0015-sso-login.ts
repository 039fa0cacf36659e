import type { Kysely } from 'kysely';
import type { MigrationDialect } from './index.js';

// Frozen: never edit a migration that has shipped; add a new one instead. Migrations import no application code.

/**
 * Logging in with the company's identity provider, the login itself (SPEC §12.2, docs/sso.md,
 * docs/decisions/0025-sso-login.md):
 * - `sso_states`: one row per authorization request sent to a provider, between `/auth/sso/:id/start` and its
 *   callback. The browser's `roster_sso` cookie holds a random handle; the row keeps only its SHA-256, the nonce and
 *   PKCE verifier, the purpose (`login`, or `link` bound to the session that asked), and where to go afterwards. A
 *   callback consumes it exactly once (conditional DELETE); it lives 10 minutes.
 * - `sessions.mfa_by_provider`: the provider that logged the person in enforces its own second factor and its `amr`
 *   showed one, so the session satisfies the 2FA policy for a person without Roster factors.
 * - `security_settings.require_sso`: password and passkey logins are for Owners only.
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable('sso_states')
    .addColumn('id_digest', 'text', (c) => c.primaryKey())
    .addColumn('identity_provider_id', 'text', (c) => c.notNull().references('identity_providers.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    // A link: the person and the session (digest) that asked for it; the callback must come with that session.
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('session_digest', 'text')
    // A same-origin path to land on after a login.
    .addColumn('return_to', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sso_states_expires_at').on('sso_states').column('expires_at').execute();

  await db.schema
    .alterTable('sessions')
    .addColumn('mfa_by_provider', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('security_settings')
    .addColumn('require_sso', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
