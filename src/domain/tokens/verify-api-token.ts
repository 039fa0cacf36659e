import { preparedRead } from '../../storage/prepared-read.js';
import type { AccessSubject } from '../access/authorize.js';
import { type AccessSubjectRow, accessSubjectFromRows, accessSubjectGroupColumns } from '../access/load-access-subject.js';
import { sha256Hex } from '../auth/secrets.js';
import type { Services } from '../context.js';
import { type MeRow, meColumns } from '../profile/describe-me.js';
import { isWellFormedApiToken } from './api-token-format.js';

const lastUsedIntervalMs = 60_000;

/** `lastUsedAt` is written at most once a minute per token (SPEC §5.5), not on every request. Returns its value now. */
async function touchLastUsed(services: Services, digest: string, lastUsedAt: string | null): Promise<string | null> {
  const now = services.now();
  if (lastUsedAt && now.getTime() - Date.parse(lastUsedAt) < lastUsedIntervalMs) return lastUsedAt;
  await services.database.db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('digest', '=', digest).execute();
  return now.toISOString();
}

const tokenSubjectRows = preparedRead<{ digest: string }, AccessSubjectRow & MeRow>('token_subject', (db, param) =>
  db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .leftJoin('group_members', 'group_members.user_id', 'users.id')
    .leftJoin('groups', 'groups.id', 'group_members.group_id')
    .select([...meColumns, ...accessSubjectGroupColumns])
    .where('api_tokens.digest', '=', param('digest')),
);

/**
 * The token's user with role and groups, read fresh in ONE query (token → user → groups): the per-request path of
 * every API call (SPEC §8). The account's `/me` columns come along, so `/me` needs no second query. Null for a malformed, unknown or revoked token or a removed user.
 */
export async function verifyApiTokenSubject(
  services: Services,
  token: string,
): Promise<{ subject: AccessSubject; account: MeRow; mustChangePassword: boolean } | null> {
  if (!isWellFormedApiToken(token)) return null;
  const digest = sha256Hex(token);
  const rows = await tokenSubjectRows(services.database, { digest });
  const first = rows[0];
  const subject = accessSubjectFromRows(rows, false);
  if (!first || !subject?.active) return null;
  const account = { ...first, token_last_used_at: await touchLastUsed(services, digest, first.token_last_used_at) };
  return { subject, account, mustChangePassword: first.must_change_password === 1 };
}
