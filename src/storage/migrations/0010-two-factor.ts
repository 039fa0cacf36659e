import { type Kysely, sql } from 'kysely';
import type { MigrationDialect } from './index.js';

// Frozen: never edit a migration that has shipped; add a new one instead. Migrations import no application code.

/**
 * Two-factor authentication (docs/product/security-settings.md#two-factor-authentication):
 *
 * - `mfa_totp`: one authenticator app per account. `secret` is a value of the secret store (encrypted, the row's
 *   `user_id` in its additional data); `confirmed_at` is NULL until the first code proves the app has it;
 *   `last_used_step` is the newest accepted 30-second step, advanced by a conditional UPDATE so a code is accepted once.
 * - `mfa_recovery_codes`: ten single-use codes per account, stored as HMACs under the secret key (`m1.<key id>.<mac>`).
 * - `mfa_pending_logins`: a login whose password was right and whose second factor is still due. The cookie holds a
 *   random id; the row keeps only its SHA-256, the account, a digest of the password hash it was opened with (so a
 *   password changed meanwhile does not complete), how many codes it has been sent (at most 5) and when it expires.
 *   It is not a session: nothing but `POST /auth/second-factor` reads it.
 * - `security_settings`: the one row (id 1) of Settings → Security: the 2FA policy, its grace period and when the policy
 *   last changed (a grace period starts then at the earliest).
 * - `users.mfa_enabled`: whether the account has a second factor (kept in step by every factor change, in the same
 *   transaction), so the People list filters on it and every request learns it with the account;
 *   `users.mfa_reset_at`: the last administrator reset, which restarts the account's grace period.
 */
// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
export async function up(db: Kysely<any>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('mfa_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('users').addColumn('mfa_reset_at', 'text').execute();
  // People list `?mfa=`: the flag is part of the index range of the active list, like the role of migration 0006.
  await db.schema.createIndex('users_status_mfa_username_id').on('users').columns(['status', 'mfa_enabled', 'username', 'id']).execute();

  await db.schema
    .createTable('mfa_totp')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('last_used_step', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mfa_recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_mac', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mfa_recovery_codes_user').on('mfa_recovery_codes').column('user_id').execute();

  await db.schema
    .createTable('mfa_pending_logins')
    .addColumn('id_digest', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('credential_digest', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mfa_pending_logins_user').on('mfa_pending_logins').column('user_id').execute();

  await db.schema
    .createTable('security_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('mfa_policy', 'text', (c) => c.notNull().defaultTo('none').check(sql`mfa_policy in ('none', 'admins', 'everyone')`))
    .addColumn('mfa_grace_days', 'integer', (c) => c.notNull().defaultTo(7))
    .addColumn('mfa_policy_changed_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  const now = new Date().toISOString();
  await db
    .insertInto('security_settings')
    .values({ id: 1, mfa_policy: 'none', mfa_grace_days: 7, mfa_policy_changed_at: now, updated_at: now })
    .execute();
}
