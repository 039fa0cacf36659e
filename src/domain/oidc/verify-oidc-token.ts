import type { AccessSubjectRow } from '../../storage/queries/access-subjects.js';
import { type OidcBearerTokenRow, preparedOidcBearerToken, preparedOidcBearerTokenWithProject } from '../../storage/queries/oidc-tokens.js';
import type { AccessSubject, ProjectAccessView } from '../access/authorize.js';
import { accessSubjectFromRows, projectAccessViewFromTokenRow } from '../access/load-access-subject.js';
import type { ApplicationRef, Services } from '../context.js';
import { authorizeScope, rosterApiScope } from './client-metadata.js';
import { payloadIdDigest } from './provider-adapter.js';

/**
 * The provider's access tokens at Roster's own API (docs/api-tokens.md#openid-connect-access-tokens, SPEC §12.1
 * "Audience"): a token is accepted only when it was issued for that API, and then only by the routes that take its
 * kind (the route's `oidcTokens`, src/server/plugins/authentication.ts).
 */

/**
 * What the provider issues: 43 characters of nanoid's URL-safe alphabet. A value that starts like an API token
 * (`rst_`, `rss_`) is an API token by its prefix, even at 43 characters (a mistyped one, a character too long), so it
 * is refused by the API-token checksum before any database access (docs/product/security-settings.md#api-tokens); a
 * provider token that happens to start so (about 1 in 8 million) is refused and the client asks for another.
 */
const oidcAccessTokenPattern = /^(?!rs[ts]_)[A-Za-z0-9_-]{43}$/;

/** Who a provider token speaks for: a person (through an application) or the application itself. */
export type OidcTokenKind = 'person' | 'application';

/**
 * Why a token is refused. The client only ever hears `invalid_token`: which part failed is nobody's business but ours
 * (a probe must not learn that a token exists, has expired, or belongs to a demoted application).
 */
export type OidcTokenRefusal =
  /** No such token (never issued, revoked, or its application deleted): the row is gone or the join finds nothing. */
  | 'unknown'
  /** Past its `exp` (the library's) or the row's `expires_at`, whichever comes first. */
  | 'expired'
  /** Issued without the scope Roster's API needs: a token for application A is worth nothing here. */
  | 'scope'
  /** Its application may no longer use Roster's API (`roster_api`) or the authorization API (`authorize_api`). */
  | 'application'
  /** The person is removed, is not a person, or is no longer in the application's allowed groups. */
  | 'person';

export type VerifiedOidcToken =
  | { ok: true; kind: 'person'; subject: AccessSubject; application: ApplicationRef; mustChangePassword: boolean }
  | { ok: true; kind: 'application'; application: ApplicationRef }
  | { ok: false; refusal: OidcTokenRefusal };

/** Shape only: anything else is refused before any database access, as API tokens are. */
export function hasOidcAccessTokenShape(value: string): boolean {
  return oidcAccessTokenPattern.test(value);
}

interface TokenPayload {
  scope?: unknown;
  exp?: unknown;
}

function scopesOf(payload: TokenPayload): string[] {
  return typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
}

function expiresAtMs(row: OidcBearerTokenRow, payload: TokenPayload): number {
  const fromPayload = typeof payload.exp === 'number' ? payload.exp * 1000 : Number.NEGATIVE_INFINITY;
  const fromRow = row.expires_at === null ? Number.POSITIVE_INFINITY : Date.parse(row.expires_at);
  // A payload without `exp` is not one the library wrote: treat it as expired.
  return Math.min(fromPayload, fromRow);
}

/**
 * A provider token presented to Roster's API, checked against the database as it is now: one read for the token, its
 * application and (for a person) the person's role and groups exactly as a session loads them. Accepted:
 * - an `AccessToken` with the `roster:api` scope whose application still has `roster_api`, for an active person who is
 *   still eligible for the application (its allowed groups, when it has any) → the person, through that application;
 * - a `ClientCredentials` token with the `roster:authorize` scope whose application still has `authorize_api` → the
 *   application itself (it has no permissions of its own; `POST /authorize` makes it name a person).
 * Expiry and revocation (the row deleted) apply on the very next request on every node: nothing is cached.
 */
export async function verifyOidcAccessToken(services: Services, token: string): Promise<VerifiedOidcToken> {
  if (!hasOidcAccessTokenShape(token)) return { ok: false, refusal: 'unknown' };
  const [row] = await preparedOidcBearerToken(services.database, { digest: payloadIdDigest(token) });
  return verifiedFromRow(services, row);
}

/**
 * `verifyOidcAccessToken` and the project a question about the token's person names, with the grants on it that reach
 * that person, in one statement (`POST /authorize`, docs/decisions/0027). The project is null when there is none; it is
 * read whatever the token turns out to be, and worth nothing unless the token is a person's and accepted.
 */
export async function verifyOidcAccessTokenWithProject(
  services: Services,
  token: string,
  projectId: string,
): Promise<{ verified: VerifiedOidcToken; project: ProjectAccessView | null }> {
  if (!hasOidcAccessTokenShape(token)) return { verified: { ok: false, refusal: 'unknown' }, project: null };
  const [row] = await preparedOidcBearerTokenWithProject(services.database, { digest: payloadIdDigest(token), projectId });
  return { verified: verifiedFromRow(services, row), project: projectAccessViewFromTokenRow(row) };
}

function verifiedFromRow(services: Services, row: OidcBearerTokenRow | undefined): VerifiedOidcToken {
  if (!row) return { ok: false, refusal: 'unknown' };
  const payload = JSON.parse(row.payload) as TokenPayload;
  if (expiresAtMs(row, payload) <= services.now().getTime()) return { ok: false, refusal: 'expired' };
  const application: ApplicationRef = { applicationId: row.application_id, clientId: row.client_id, name: row.application_name };

  if (row.model === 'ClientCredentials') {
    if (!scopesOf(payload).includes(authorizeScope)) return { ok: false, refusal: 'scope' };
    if (Number(row.authorize_api) !== 1) return { ok: false, refusal: 'application' };
    return { ok: true, kind: 'application', application };
  }

  if (!scopesOf(payload).includes(rosterApiScope)) return { ok: false, refusal: 'scope' };
  if (Number(row.roster_api) !== 1) return { ok: false, refusal: 'application' };
  if (row.account_id === null) return { ok: false, refusal: 'person' };
  if (Number(row.restricted_to_groups) === 1 && Number(row.in_allowed_group) !== 1) return { ok: false, refusal: 'person' };
  // The person's columns come from one left join: all null (an account that is gone) or all there.
  const subject = row.id === null ? null : accessSubjectFromRows([row as AccessSubjectRow], false);
  if (!subject?.active || subject.type !== 'person') return { ok: false, refusal: 'person' };
  return { ok: true, kind: 'person', subject, application, mustChangePassword: Number(row.must_change_password) === 1 };
}
