import {
  type MeRow,
  preparedTokenSubjectRows,
  preparedTokenSubjectWithProject,
  type TokenSubjectRow,
} from '../../storage/queries/access-subjects.js';
import { touchTokenLastUsed } from '../../storage/queries/api-tokens.js';
import type { AccessSubject, ProjectAccessView } from '../access/authorize.js';
import { accessSubjectFromRows, projectAccessViewFromTokenRow } from '../access/load-access-subject.js';
import { sha256Hex } from '../auth/secrets.js';
import type { Services } from '../context.js';
import { isWellFormedApiToken } from './api-token-format.js';

const lastUsedIntervalMs = 60_000;

/**
 * `lastUsedAt` (and the address) is written at most once a minute per token (docs/product/security-settings.md#api-tokens),
 * not on every request. Returns its value now.
 */
async function touchLastUsed(services: Services, digest: string, lastUsedAt: string | null, ip: string | null): Promise<string | null> {
  const now = services.now();
  if (lastUsedAt && now.getTime() - Date.parse(lastUsedAt) < lastUsedIntervalMs) return lastUsedAt;
  await touchTokenLastUsed(services.database.db, digest, now.toISOString(), ip, new Date(now.getTime() - lastUsedIntervalMs).toISOString());
  return now.toISOString();
}

/** Why a bearer token was refused: each is its own 401 code (docs/product/api.md#errors). */
export type TokenRefusal = 'invalid_token' | 'token_expired' | 'service_account_deactivated';

export type VerifiedToken =
  | { ok: true; subject: AccessSubject; account: MeRow; mustChangePassword: boolean }
  | { ok: false; refusal: TokenRefusal };

/**
 * The token's account with role and groups, read fresh in ONE query (token → user → groups): the per-request path of
 * every API call (docs/product/speed-targets.md#targets). The account's `/me` columns come along, so `/me` needs no
 * second query. The same read says whether the account is a deactivated service account and when the token expires,
 * so both stop on the very next request on every node (docs/product/service-accounts.md#the-token).
 */
export async function verifyApiTokenSubject(services: Services, token: string, ip: string | null = null): Promise<VerifiedToken> {
  if (!isWellFormedApiToken(token)) return { ok: false, refusal: 'invalid_token' };
  const digest = sha256Hex(token);
  return verifiedFromRows(services, digest, await preparedTokenSubjectRows(services.database, { digest }), ip);
}

/**
 * `verifyApiTokenSubject` and the project a question about the token's account names, with the grants on it that reach
 * that account, in one statement (`POST /authorize`, docs/decisions/0027). The project is null when there is none; it
 * is read whatever the token turns out to be, and worth nothing unless the token is.
 */
export async function verifyApiTokenWithProject(
  services: Services,
  token: string,
  projectId: string,
  ip: string | null,
): Promise<{ verified: VerifiedToken; project: ProjectAccessView | null }> {
  if (!isWellFormedApiToken(token)) return { verified: { ok: false, refusal: 'invalid_token' }, project: null };
  const digest = sha256Hex(token);
  const rows = await preparedTokenSubjectWithProject(services.database, { digest, projectId });
  return { verified: await verifiedFromRows(services, digest, rows, ip), project: projectAccessViewFromTokenRow(rows[0]) };
}

async function verifiedFromRows(
  services: Services,
  digest: string,
  rows: readonly TokenSubjectRow[],
  ip: string | null,
): Promise<VerifiedToken> {
  const first = rows[0];
  const subject = accessSubjectFromRows(rows, false);
  if (!first || !subject || first.status !== 'active') return { ok: false, refusal: 'invalid_token' };
  if (subject.deactivated) return { ok: false, refusal: 'service_account_deactivated' };
  if (first.token_expires_at !== null && Date.parse(first.token_expires_at) <= services.now().getTime()) {
    return { ok: false, refusal: 'token_expired' };
  }
  const account = { ...first, token_last_used_at: await touchLastUsed(services, digest, first.token_last_used_at, ip) };
  return { ok: true, subject, account, mustChangePassword: first.must_change_password === 1 };
}
