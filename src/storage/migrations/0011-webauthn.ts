import type { Kysely } from 'kysely';
import type { MigrationDialect } from './index.js';

// Frozen: never edit a migration that has shipped; add a new one instead. Migrations import no application code.

/**
 * WebAuthn (docs/product/security-settings.md#security-keys-and-passkeys, docs/decisions/0023-webauthn.md): the
 * security keys and passkeys people register, and the challenges of ceremonies in progress. Challenges live in the
 * database, not in a node's memory, so that any node of a deployment continues a ceremony another node began; each is
 * deleted by the request that uses it (a conditional delete: of simultaneous uses exactly one finds the row).
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
export async function up(db: Kysely<any>, dialect: MigrationDialect): Promise<void> {
  // The signature counter is an unsigned 32-bit number: more than PostgreSQL's integer holds.
  const counterType = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('webauthn_credentials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    // The authenticator's credential id (base64url), unique across the instance: an assertion names it.
    .addColumn('credential_id', 'text', (c) => c.notNull().unique())
    // The COSE public key (base64url): public by nature, so stored in the clear.
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('counter', counterType, (c) => c.notNull().defaultTo(0))
    // JSON array of transport hints ("usb", "internal", "hybrid", …) handed back to browsers.
    .addColumn('transports', 'text', (c) => c.notNull().defaultTo('[]'))
    // 1 when the credential is discoverable (a passkey that can sign in without a username).
    .addColumn('discoverable', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('backed_up', 'integer', (c) => c.notNull().defaultTo(0))
    // The relying-party id it was registered for: `roster doctor` warns when ROSTER_PUBLIC_URL's domain moved away.
    .addColumn('rp_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .execute();
  await db.schema.createIndex('webauthn_credentials_user').on('webauthn_credentials').column('user_id').execute();

  await db.schema
    .createTable('webauthn_challenges')
    // The challenge itself (base64url of 32 random bytes): what the browser signs and sends back in clientDataJSON.
    .addColumn('challenge', 'text', (c) => c.primaryKey())
    // registration | second_factor | passkey | confirmation
    .addColumn('purpose', 'text', (c) => c.notNull())
    // The account the ceremony is for; null for a passkey login, where nobody is known until the assertion arrives.
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webauthn_challenges_expiry').on('webauthn_challenges').column('expires_at').execute();
}
