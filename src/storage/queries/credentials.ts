import type { Insertable } from 'kysely';
import type { Executor } from '../database.js';
import type { CredentialsTable } from '../schema.js';
import { type AccountKey, qualifiedAccountKeyColumn } from './users.js';

/** Everything that reads or writes the `credentials` table (one password per account, permanent or temporary). */

/** An active account with its password credential, by id, username or canonical email; undefined when there is none. */
export function findActiveUserWithCredential(db: Executor, key: AccountKey) {
  return db
    .selectFrom('users')
    .innerJoin('credentials', 'credentials.user_id', 'users.id')
    .selectAll('users')
    .select(['credentials.password_hash', 'credentials.is_temporary', 'credentials.expires_at', 'credentials.used_at'])
    .where(qualifiedAccountKeyColumn(key), '=', key.value)
    .where('users.status', '=', 'active')
    .where('users.type', '=', 'person')
    .executeTakeFirst();
}

/** Whether the account has a password (people created by an identity provider have none). */
export async function hasCredential(db: Executor, userId: string): Promise<boolean> {
  const row = await db.selectFrom('credentials').select('user_id').where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

/** An active person with their password credential when they have one (a pending second-factor login of SSO). */
export function findActiveUserWithOptionalCredential(db: Executor, userId: string) {
  return db
    .selectFrom('users')
    .leftJoin('credentials', 'credentials.user_id', 'users.id')
    .selectAll('users')
    .select(['credentials.password_hash', 'credentials.is_temporary', 'credentials.expires_at', 'credentials.used_at'])
    .where('users.id', '=', userId)
    .where('users.status', '=', 'active')
    .where('users.type', '=', 'person')
    .executeTakeFirst();
}

export async function insertCredentials(trx: Executor, rows: ReadonlyArray<Insertable<CredentialsTable>>): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('credentials')
    .values([...rows])
    .execute();
}

/** Sets a permanent password: no expiry, not spent. */
export async function setPermanentPassword(trx: Executor, userId: string, hash: string, at: string): Promise<void> {
  await trx
    .updateTable('credentials')
    .set({ password_hash: hash, is_temporary: 0, expires_at: null, used_at: null, updated_at: at })
    .where('user_id', '=', userId)
    .execute();
}

/**
 * Gives a person without a password (created by an identity provider) their first, permanent one. False when they have
 * one already: another request set it first.
 */
export async function insertFirstPassword(trx: Executor, userId: string, hash: string, at: string): Promise<boolean> {
  const result = await trx
    .insertInto('credentials')
    .values({ user_id: userId, password_hash: hash, is_temporary: 0, expires_at: null, used_at: null, updated_at: at })
    .onConflict((conflict) => conflict.column('user_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Sets (or creates) a temporary password that expires at `expiresAt` and is not spent yet. */
export async function setTemporaryPassword(trx: Executor, userId: string, hash: string, times: { at: string; expiresAt: string }) {
  const values = { password_hash: hash, is_temporary: 1 as const, expires_at: times.expiresAt, used_at: null, updated_at: times.at };
  const updated = await trx.updateTable('credentials').set(values).where('user_id', '=', userId).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0)
    await trx
      .insertInto('credentials')
      .values({ user_id: userId, ...values })
      .execute();
}

/**
 * Marks the temporary password whose hash is `hash` as spent, unless it was spent (or replaced) already. True when
 * this call spent it: exactly one request can.
 */
export async function spendTemporaryPassword(trx: Executor, userId: string, hash: string, at: string): Promise<boolean> {
  const spent = await trx
    .updateTable('credentials')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('password_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(spent.numUpdatedRows) === 1;
}

/** Replaces the hash `previousHash` with `newHash` (a re-hash with current parameters); no-op if it changed meanwhile. */
export async function replacePasswordHash(trx: Executor, userId: string, previousHash: string, newHash: string, at: string): Promise<void> {
  await trx
    .updateTable('credentials')
    .set({ password_hash: newHash, updated_at: at })
    .where('user_id', '=', userId)
    .where('password_hash', '=', previousHash)
    .execute();
}

export async function deleteCredential(trx: Executor, userId: string): Promise<void> {
  await trx.deleteFrom('credentials').where('user_id', '=', userId).execute();
}
