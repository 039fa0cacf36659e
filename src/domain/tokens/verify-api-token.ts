import type { AccessSubject } from '../access/authorize.js';
import { accessSubjectColumns, accessSubjectFromRows } from '../access/load-access-subject.js';
import { sha256Hex } from '../auth/secrets.js';
import type { Services } from '../context.js';
import { isWellFormedApiToken } from './api-token-format.js';

const lastUsedIntervalMs = 60_000;

/** `lastUsedAt` is written at most once a minute per token (SPEC §5.5), not on every request. */
async function touchLastUsed(services: Services, digest: string, lastUsedAt: string | null): Promise<void> {
  const now = services.now();
  if (!lastUsedAt || now.getTime() - Date.parse(lastUsedAt) >= lastUsedIntervalMs) {
    await services.database.db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('digest', '=', digest).execute();
  }
}

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
  await touchLastUsed(services, digest, row.last_used_at);
  return { userId: row.user_id, mustChangePassword: row.must_change_password === 1 };
}

/**
 * The token's user with role and groups, read fresh in ONE query (token → user → groups): the per-request path of
 * every API call (SPEC §8). Null for a malformed, unknown or revoked token or a removed user.
 */
export async function verifyApiTokenSubject(
  services: Services,
  token: string,
): Promise<{ subject: AccessSubject; mustChangePassword: boolean } | null> {
  if (!isWellFormedApiToken(token)) return null;
  const digest = sha256Hex(token);
  const rows = await services.database.db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .leftJoin('group_members', 'group_members.user_id', 'users.id')
    .leftJoin('groups', 'groups.id', 'group_members.group_id')
    .select([...accessSubjectColumns, 'api_tokens.last_used_at', 'users.must_change_password'])
    .where('api_tokens.digest', '=', digest)
    .execute();
  const first = rows[0];
  const subject = accessSubjectFromRows(rows, false);
  if (!first || !subject?.active) return null;
  await touchLastUsed(services, digest, first.last_used_at);
  return { subject, mustChangePassword: first.must_change_password === 1 };
}
