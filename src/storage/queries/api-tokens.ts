import type { Executor } from '../database.js';

/** Everything that writes the `api_tokens` table (one personal token per user; reads are in `access-subjects.ts`). */

export async function findTokenPrefix(db: Executor, userId: string): Promise<string | null> {
  const row = await db.selectFrom('api_tokens').select('prefix').where('user_id', '=', userId).executeTakeFirst();
  return row?.prefix ?? null;
}

/**
 * Stores the user's token, replacing the one they had. An upsert on the one-token-per-user key, not delete + insert:
 * parallel resets on PostgreSQL (READ COMMITTED) then queue on the row instead of failing on the key, and exactly one
 * token, the last, stays valid.
 */
export async function replaceUserToken(trx: Executor, token: { userId: string; digest: string; prefix: string; createdAt: string }) {
  const { digest, prefix, createdAt } = token;
  await trx
    .insertInto('api_tokens')
    .values({ user_id: token.userId, digest, prefix, created_at: createdAt, last_used_at: null })
    .onConflict((conflict) => conflict.column('user_id').doUpdateSet({ digest, prefix, created_at: createdAt, last_used_at: null }))
    .execute();
}

/** Deletes the user's token; returns its prefix, or null when they had none. */
export async function deleteUserToken(trx: Executor, userId: string): Promise<string | null> {
  const revoked = await trx.deleteFrom('api_tokens').where('user_id', '=', userId).returning('prefix').executeTakeFirst();
  return revoked?.prefix ?? null;
}

export async function touchTokenLastUsed(db: Executor, digest: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('digest', '=', digest).execute();
}
