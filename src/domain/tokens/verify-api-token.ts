import { sha256Hex } from '../auth/secrets.js';
import type { Services } from '../context.js';
import { isWellFormedApiToken } from './api-token-format.js';

const lastUsedIntervalMs = 60_000;

/** The user behind a personal API token, or null. No cache: a reset token fails on the very next request. */
export async function verifyApiToken(services: Services, token: string): Promise<{ userId: string; mustChangePassword: boolean } | null> {
  if (!isWellFormedApiToken(token)) return null;
  const digest = sha256Hex(token);
  const row = await services.database.db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.user_id', 'api_tokens.last_used_at', 'users.status', 'users.must_change_password'])
    .where('api_tokens.digest', '=', digest)
    .executeTakeFirst();
  if (row?.status !== 'active') return null;
  const now = services.now();
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= lastUsedIntervalMs) {
    await services.database.db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('digest', '=', digest).execute();
  }
  return { userId: row.user_id, mustChangePassword: row.must_change_password === 1 };
}
