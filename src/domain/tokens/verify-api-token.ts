import { type MeRow, preparedTokenSubjectRows } from '../../storage/queries/access-subjects.js';
import { touchTokenLastUsed } from '../../storage/queries/api-tokens.js';
import type { AccessSubject } from '../access/authorize.js';
import { accessSubjectFromRows } from '../access/load-access-subject.js';
import { sha256Hex } from '../auth/secrets.js';
import type { Services } from '../context.js';
import { isWellFormedApiToken } from './api-token-format.js';

const lastUsedIntervalMs = 60_000;

/**
 * `lastUsedAt` is written at most once a minute per token (docs/product/security-settings.md#api-tokens), not on every
 * request. Returns its value now.
 */
async function touchLastUsed(services: Services, digest: string, lastUsedAt: string | null): Promise<string | null> {
  const now = services.now();
  if (lastUsedAt && now.getTime() - Date.parse(lastUsedAt) < lastUsedIntervalMs) return lastUsedAt;
  await touchTokenLastUsed(services.database.db, digest, now.toISOString());
  return now.toISOString();
}

/**
 * The token's user with role and groups, read fresh in ONE query (token → user → groups): the per-request path of
 * every API call (docs/product/speed-targets.md#targets). The account's `/me` columns come along, so `/me` needs no
 * second query. Null for a malformed, unknown or revoked token or a removed user.
 */
export async function verifyApiTokenSubject(
  services: Services,
  token: string,
): Promise<{ subject: AccessSubject; account: MeRow; mustChangePassword: boolean } | null> {
  if (!isWellFormedApiToken(token)) return null;
  const digest = sha256Hex(token);
  const rows = await preparedTokenSubjectRows(services.database, { digest });
  const first = rows[0];
  const subject = accessSubjectFromRows(rows, false);
  if (!first || !subject?.active) return null;
  const account = { ...first, token_last_used_at: await touchLastUsed(services, digest, first.token_last_used_at) };
  return { subject, account, mustChangePassword: first.must_change_password === 1 };
}
