import type { Kysely } from 'kysely';
import type { MigrationDialect } from './index.js';

// Frozen: never edit a migration that has shipped; add a new one instead. Migrations import no application code.

/**
 * Roster as an OpenID Connect provider (docs/oidc.md, docs/decisions/0024-openid-connect-provider.md):
 * - `applications`: the relying parties Owners and Admins register; a confidential one keeps only the SHA-256 digest
 *   of its secret (and, for 24 hours after a rotation, of the previous one);
 * - `application_groups`: who may sign in to an application restricted to groups;
 * - `oidc_consents`: the scopes a person consented to for a third-party application, remembered until revoked;
 * - `oidc_payloads`: the provider library's state (codes, tokens, grants, sessions, interactions), one row per object,
 *   keyed by the SHA-256 digest of its id so that a copy of the table holds no usable code or token; the columns beside
 *   the JSON payload are what revocation and lookups filter by;
 * - `oidc_keys`: signing keys and cookie keys, encrypted with the secret store (AES-256-GCM, AAD table/column/id).
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable('applications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    // confidential | public
    .addColumn('type', 'text', (c) => c.notNull())
    // JSON arrays of exact URIs.
    .addColumn('redirect_uris', 'text', (c) => c.notNull())
    .addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull().defaultTo('[]'))
    // 1: no consent screen (only an Owner may set it).
    .addColumn('first_party', 'integer', (c) => c.notNull().defaultTo(0))
    // 1: may ask POST /authorize about any person with a client-credentials token (Owner only).
    .addColumn('authorize_api', 'integer', (c) => c.notNull().defaultTo(0))
    // 1: may request the roster:api scope, whose access tokens Roster's own API accepts (Owner only).
    .addColumn('roster_api', 'integer', (c) => c.notNull().defaultTo(0))
    // 1: only members of application_groups may sign in; 0: everyone.
    .addColumn('restricted_to_groups', 'integer', (c) => c.notNull().defaultTo(0))
    // SHA-256 (hex) of the client secret; NULL for public applications.
    .addColumn('secret_digest', 'text')
    .addColumn('previous_secret_digest', 'text')
    .addColumn('previous_secret_expires_at', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('application_groups')
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('application_groups_pk', ['application_id', 'group_id'])
    .execute();
  await db.schema.createIndex('application_groups_group').on('application_groups').column('group_id').execute();

  await db.schema
    .createTable('oidc_consents')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id').onDelete('cascade'))
    // JSON array of the scopes consented to.
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('oidc_consents_pk', ['user_id', 'application_id'])
    .execute();
  await db.schema.createIndex('oidc_consents_application').on('oidc_consents').column('application_id').execute();

  await db.schema
    .createTable('oidc_payloads')
    // The library's model name: Session, Interaction, AuthorizationCode, AccessToken, RefreshToken, Grant, …
    .addColumn('model', 'text', (c) => c.notNull())
    // SHA-256 (hex) of the object's id (for codes and tokens the id is the secret value itself).
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'text')
    .addColumn('account_id', 'text')
    .addColumn('client_id', 'text')
    // Sessions: the uid the library finds them by; the digest of the Roster console session they belong to.
    .addColumn('uid', 'text')
    .addColumn('roster_session', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('consumed_at', 'text')
    .addPrimaryKeyConstraint('oidc_payloads_pk', ['model', 'id'])
    .execute();
  await db.schema.createIndex('oidc_payloads_grant').on('oidc_payloads').column('grant_id').execute();
  await db.schema.createIndex('oidc_payloads_account').on('oidc_payloads').column('account_id').execute();
  await db.schema.createIndex('oidc_payloads_client').on('oidc_payloads').column('client_id').execute();
  await db.schema.createIndex('oidc_payloads_uid').on('oidc_payloads').columns(['model', 'uid']).execute();
  await db.schema.createIndex('oidc_payloads_roster_session').on('oidc_payloads').column('roster_session').execute();
  await db.schema.createIndex('oidc_payloads_expiry').on('oidc_payloads').column('expires_at').execute();

  await db.schema
    .createTable('oidc_keys')
    // The key id (kid) of a signing key, or a random id for a cookie key.
    .addColumn('id', 'text', (c) => c.primaryKey())
    // signing | cookie
    .addColumn('use', 'text', (c) => c.notNull())
    // ES256 | RS256 for signing keys; NULL for cookie keys.
    .addColumn('alg', 'text')
    // The private JWK (signing) or the key bytes (cookie), as a value of the secret store.
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    // Set when a rotation replaced the key: it stays in the JWKS (verification only) until its tokens have expired.
    .addColumn('retired_at', 'text')
    .execute();
}
