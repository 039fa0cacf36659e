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
export async function replaceUserToken(
  trx: Executor,
  token: { userId: string; digest: string; prefix: string; createdAt: string; expiresAt?: string | null },
) {
  const { digest, prefix, createdAt } = token;
  const fresh = { digest, prefix, created_at: createdAt, last_used_at: null, last_used_ip: null, expires_at: token.expiresAt ?? null };
  await trx
    .insertInto('api_tokens')
    .values({ user_id: token.userId, ...fresh })
    .onConflict((conflict) => conflict.column('user_id').doUpdateSet(fresh))
    .execute();
}

/** Deletes the user's token; returns its prefix, or null when they had none. */
export async function deleteUserToken(trx: Executor, userId: string): Promise<string | null> {
  const revoked = await trx.deleteFrom('api_tokens').where('user_id', '=', userId).returning('prefix').executeTakeFirst();
  return revoked?.prefix ?? null;
}

/**
 * Records a use of the token, unless another request (on any node) recorded one since `notBefore`: the condition makes
 * parallel requests write once, not once each (at most one write a minute, docs/product/security-settings.md#api-tokens).
 */
export async function touchTokenLastUsed(db: Executor, digest: string, at: string, ip: string | null, notBefore: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: at, last_used_ip: ip })
    .where('digest', '=', digest)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', notBefore)]))
    .execute();
}

/** When each of `userIds`' tokens expires (service accounts in a People page); users without a token are absent. */
export async function tokenExpiriesOf(db: Executor, userIds: readonly string[]): Promise<Map<string, string | null>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('api_tokens')
    .select(['user_id', 'expires_at'])
    .where('user_id', 'in', [...userIds])
    .execute();
  return new Map(rows.map((row) => [row.user_id, row.expires_at]));
}
