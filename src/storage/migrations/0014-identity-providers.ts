import type { Kysely } from 'kysely';
import type { MigrationDialect } from './index.js';

// Frozen: never edit a migration that has shipped; add a new one instead. Migrations import no application code.

/**
 * Logging in with the company's identity provider (SPEC §12.2, docs/sso.md):
 * - `identity_providers`: the upstream OpenID Connect providers Owners register; the client secret is a value of the
 *   secret store (AES-256-GCM, AAD table/column/id), the only column of this migration that is secret;
 * - `identity_provider_group_mappings`: a provider's group value → a Roster group (the group is then managed by the
 *   provider); it goes with either side;
 * - `user_identities`: the links between a person and a provider's subject, keyed by (provider, `sub`), never by the
 *   email after the first link (for the login and linking that follow).
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable('identity_providers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The button label: "Log in with <label>".
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    // A value of the secret store: v1.<key id>.<iv>.<ciphertext>.
    .addColumn('client_secret', 'text', (c) => c.notNull())
    // Space-separated, as sent in the authorization request.
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('username_claim', 'text', (c) => c.notNull())
    .addColumn('email_claim', 'text', (c) => c.notNull())
    .addColumn('groups_claim', 'text', (c) => c.notNull())
    // 1: unknown people are created at their first login (Member); 0: refused.
    .addColumn('create_unknown', 'integer', (c) => c.notNull().defaultTo(0))
    // 1: an existing Member without 2FA is linked when the provider asserts a verified email that matches.
    .addColumn('link_verified_email', 'integer', (c) => c.notNull().defaultTo(0))
    // 1: the provider's own second factor (amr) counts for Roster's 2FA policy.
    .addColumn('enforces_2fa', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .execute();

  await db.schema
    .createTable('identity_provider_group_mappings')
    .addColumn('identity_provider_id', 'text', (c) => c.notNull().references('identity_providers.id').onDelete('cascade'))
    // The value of the provider's groups claim.
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('identity_provider_group_mappings_pk', ['identity_provider_id', 'value', 'group_id'])
    .execute();
  await db.schema.createIndex('identity_provider_group_mappings_group').on('identity_provider_group_mappings').column('group_id').execute();

  await db.schema
    .createTable('user_identities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('identity_provider_id', 'text', (c) => c.notNull().references('identity_providers.id').onDelete('cascade'))
    // The provider's `sub` claim.
    .addColumn('subject', 'text', (c) => c.notNull())
    // The email the provider asserted at the last login (information only: links never follow it).
    .addColumn('email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_login_at', 'text')
    .addUniqueConstraint('user_identities_provider_subject', ['identity_provider_id', 'subject'])
    .execute();
  await db.schema.createIndex('user_identities_user').on('user_identities').column('user_id').execute();
}
