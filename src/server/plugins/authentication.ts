import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessSubject } from '../../domain/access/authorize.js';
import type { ProjectRead } from '../../domain/access/explain-access.js';
import { loadAccessSubject } from '../../domain/access/load-access-subject.js';
import { mustSetUpMfa } from '../../domain/access/policies/mfa-policy.js';
import { recordAuditFailure } from '../../domain/audit/record-audit-event.js';
import { constantTimeEqual } from '../../domain/auth/secrets.js';
import type { ApplicationRef, Services } from '../../domain/context.js';
import {
  hasOidcAccessTokenShape,
  type OidcTokenKind,
  type VerifiedOidcToken,
  verifyOidcAccessToken,
  verifyOidcAccessTokenWithProject,
} from '../../domain/oidc/verify-oidc-token.js';
import type { MeRow } from '../../domain/profile/describe-me.js';
import { resolveSession } from '../../domain/sessions/resolve-session.js';
import { csrfTokenFor } from '../../domain/sessions/session-tokens.js';
import { isWellFormedApiToken } from '../../domain/tokens/api-token-format.js';
import {
  type TokenRefusal,
  type VerifiedToken,
  verifyApiTokenSubject,
  verifyApiTokenWithProject,
} from '../../domain/tokens/verify-api-token.js';
import { requestContext } from './context.js';
import { sendProblem } from './errors.js';

/**
 * Who made the request and how. Roles are read fresh here on every request
 * (docs/product/roles-and-permissions.md#fresh-reads-on-every-request).
 */
export type RequestAuth = AccountAuth | ApplicationAuth;

/** An account: a person or a service account, by session cookie, API token, or (a person) an OIDC access token. */
export interface AccountAuth {
  method: 'session' | 'token' | 'oidc';
  subject: AccessSubject;
  /** Present for cookie sessions: needed for CSRF and logout. */
  session: { digest: string; rawId: string } | null;
  /** The caller's account as read by this request's bearer-token lookup (saves `/me` a second query). */
  account: MeRow | null;
  /** For `oidc`: the application the person's access token was issued to. */
  application: ApplicationRef | null;
}

/** An application with its own client-credentials token (no account, no permissions of its own). */
export interface ApplicationAuth {
  method: 'oidc';
  subject: null;
  session: null;
  account: null;
  application: ApplicationRef;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth | null;
    /** A well-formed API or OIDC access token on a `tokenWithProject` route, read once the body is parsed (preValidation). */
    pendingBearer: { kind: 'api' | 'oidc'; token: string } | null;
    /** The project that route's body names, read in the same statement as the token (docs/decisions/0027). */
    tokenProject: ProjectRead | null;
  }
  interface FastifyContextConfig {
    /** `required` (default under /api/v1), `optional`, or `none`. */
    auth?: 'required' | 'optional' | 'none';
    /** Routes a restricted (must-change-password) session may use: /me, /auth/password, /auth/logout. */
    allowRestricted?: boolean;
    /**
     * Routes a session that must set up 2FA first may use (docs/product/security-settings.md#two-factor-authentication):
     * /me, /auth/logout and the 2FA setup routes.
     */
    allowMfaSetup?: boolean;
    /** `origin`: only the same-origin check, no token (login, where no session exists yet). */
    csrf?: 'token' | 'origin';
    /**
     * The OpenID Connect access tokens this route accepts (docs/api-tokens.md#openid-connect-access-tokens): `person`
     * (scope `roster:api`, acting as that person) and/or `application` (client credentials, scope `roster:authorize`).
     * Absent: none, so such a token is worth nothing here (401 `invalid_token`, before any database access).
     */
    oidcTokens?: readonly OidcTokenKind[];
    /**
     * `POST /authorize` and `GET /authorize/explain`: the project a bearer token is read with, named by the route from
     * its parsed body or query string (null: the token alone). The token is read after the body, in one statement with
     * that project (docs/decisions/0027); its shape is still checked first, only the read waits for the body.
     */
    tokenWithProject?: (request: { body: unknown; query: unknown }) => string | null;
  }
}

/** The session cookie's attributes (docs/product/security-settings.md#sessions-and-browser-security). */
export function sessionCookieOptions(services: Services) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: services.config.publicUrl.protocol === 'https:' };
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

const tokenRefusals: Record<TokenRefusal, string> = {
  invalid_token: 'The API token is missing, malformed or revoked.',
  token_expired: 'The API token has expired; a service account manager can regenerate it.',
  service_account_deactivated: 'The service account is deactivated.',
};

/** One answer for every refused OpenID Connect access token, whatever failed (docs/api-tokens.md). */
const oidcTokenRefusal = 'The access token is missing, malformed, expired or revoked, or not accepted here.';

export function sessionCookieName(services: Services): string {
  return services.config.publicUrl.protocol === 'https:' ? '__Host-roster_session' : 'roster_session';
}

/**
 * The cookie of a login waiting for its second factor (docs/product/security-settings.md#two-factor-authentication).
 * Only `POST /auth/second-factor` reads it; this plugin never does, so it authenticates nothing anywhere else.
 */
export function pendingLoginCookieName(services: Services): string {
  return services.config.publicUrl.protocol === 'https:' ? '__Host-roster_pending_login' : 'roster_pending_login';
}

/**
 * Resolves the bearer token or session cookie, enforces restricted sessions and CSRF
 * (docs/product/security-settings.md#sessions-and-browser-security), before the body is even read; only the read of an
 * API or OIDC access token on a `tokenWithProject` route waits for its body (docs/decisions/0027).
 */
export function installAuthentication(app: FastifyInstance, services: Services): void {
  app.decorateRequest('auth', null);
  app.decorateRequest('pendingBearer', null);
  app.decorateRequest('tokenProject', null);
  const cookieName = sessionCookieName(services);

  app.addHook('onRequest', async (request, reply) => {
    const mode = request.routeOptions.config.auth ?? (request.url.startsWith('/api/v1/') ? 'required' : 'none');
    if (mode === 'none') return;

    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^(?:Bearer|Token)\s+(\S+)$/i.exec(header);
      // An `rst_`/`rss_` token is 42 characters with its prefix, a provider token 43 without: the shape says which lookup.
      const token = match?.[1];
      const { tokenWithProject, oidcTokens = [] } = request.routeOptions.config;
      if (token && hasOidcAccessTokenShape(token)) {
        // A route that takes no provider token refuses one here, before any database access.
        if (tokenWithProject && oidcTokens.length > 0) {
          request.pendingBearer = { kind: 'oidc', token };
          return;
        }
        return acceptOidcToken(request, reply, services, oidcTokens.length > 0 ? await verifyOidcAccessToken(services, token) : null);
      }
      if (token && isWellFormedApiToken(token) && tokenWithProject) {
        request.pendingBearer = { kind: 'api', token };
        return;
      }
      // One query: token → user → groups (the hot path of every API call, docs/product/speed-targets.md#targets).
      return acceptApiToken(request, reply, services, token ? await verifyApiTokenSubject(services, token, request.ip) : null);
    }

    const rawId = request.cookies[cookieName];
    const session = rawId ? await resolveSession(services, rawId) : null;
    if (session && rawId) {
      const loaded = await loadAccessSubject(services.database, session.userId, session.restricted);
      // The provider's own second factor counts in this session only (docs/sso.md#two-factor-authentication).
      const subject = loaded?.mfa && session.mfaByProvider ? { ...loaded, mfa: { ...loaded.mfa, byProvider: true } } : loaded;
      if (subject?.active) {
        request.auth = { method: 'session', subject, session: { digest: session.digest, rawId }, account: null, application: null };
      }
    }
    if (!request.auth && rawId) void reply.clearCookie(cookieName, { path: '/' });

    if (!safeMethods.has(request.method) && !(await passesCsrfCheck(request, reply, services))) return reply;
    // Only a session reaches here: every bearer request was decided above.
    const subject = request.auth?.subject;
    if (!subject) {
      if (mode === 'required') return sendProblem(reply, 'unauthenticated');
      return;
    }
    // One order of restrictions: the forced password change comes before the forced 2FA setup.
    if (subject.restricted) {
      if (!request.routeOptions.config.allowRestricted) return sendProblem(reply, 'password_change_required');
    } else if (!request.routeOptions.config.allowMfaSetup && mustSetUpMfa(subject, services.now())) {
      return sendProblem(reply, 'mfa_setup_required');
    }
  });
  installTokenWithProject(app, services);
}

/**
 * Sets who made the request from a verified API token, or answers the refusal. A token is refused outright while its
 * owner must change their password or set up 2FA: both need the browser.
 */
function acceptApiToken(request: FastifyRequest, reply: FastifyReply, services: Services, verified: VerifiedToken | null) {
  if (!verified) return sendProblem(reply, 'invalid_token', tokenRefusals.invalid_token);
  if (!verified.ok) return sendProblem(reply, verified.refusal, tokenRefusals[verified.refusal]);
  if (verified.mustChangePassword) return sendProblem(reply, 'password_change_required');
  if (mustSetUpMfa(verified.subject, services.now())) return sendProblem(reply, 'mfa_setup_required');
  request.auth = { method: 'token', subject: verified.subject, session: null, account: verified.account, application: null };
  return undefined;
}

/**
 * The API or OIDC access token of a `tokenWithProject` route, once its body is parsed (docs/decisions/0027): with the
 * project the route names from the body, in one statement; without one, the token alone. Then the same checks as every bearer
 * token, before validation, so that a refused token still answers 401 to a malformed question.
 */
function installTokenWithProject(app: FastifyInstance, services: Services): void {
  app.addHook('preValidation', async (request, reply) => {
    const pending = request.pendingBearer;
    if (pending === null) return;
    request.pendingBearer = null;
    const projectId = request.routeOptions.config.tokenWithProject?.(request) ?? null;
    if (pending.kind === 'oidc') {
      if (projectId === null) return acceptOidcToken(request, reply, services, await verifyOidcAccessToken(services, pending.token));
      const { verified, project } = await verifyOidcAccessTokenWithProject(services, pending.token, projectId);
      const refused = acceptOidcToken(request, reply, services, verified);
      if (!refused && verified.ok && verified.kind === 'person') {
        request.tokenProject = { projectId, forUserId: verified.subject.userId, view: project };
      }
      return refused;
    }
    if (projectId === null)
      return acceptApiToken(request, reply, services, await verifyApiTokenSubject(services, pending.token, request.ip));
    const { verified, project } = await verifyApiTokenWithProject(services, pending.token, projectId, request.ip);
    const refused = acceptApiToken(request, reply, services, verified);
    if (!refused && verified.ok) request.tokenProject = { projectId, forUserId: verified.subject.userId, view: project };
    return refused;
  });
}

/**
 * A provider access token (SPEC §12.1 "Audience"), verified, or null on a route that takes no provider token (refused
 * before any database access): worth something only on a route that takes its kind. Every refusal is the same 401
 * `invalid_token`, whatever failed. A person whose password must change or who must set up 2FA is refused as with an
 * API token.
 */
function acceptOidcToken(request: FastifyRequest, reply: FastifyReply, services: Services, verified: VerifiedOidcToken | null) {
  const accepted = request.routeOptions.config.oidcTokens ?? [];
  if (!verified?.ok || !accepted.includes(verified.kind)) return sendProblem(reply, 'invalid_token', oidcTokenRefusal);
  if (verified.kind === 'application') {
    request.auth = { method: 'oidc', subject: null, session: null, account: null, application: verified.application };
    return undefined;
  }
  if (verified.mustChangePassword) return sendProblem(reply, 'password_change_required');
  if (mustSetUpMfa(verified.subject, services.now())) return sendProblem(reply, 'mfa_setup_required');
  request.auth = { method: 'oidc', subject: verified.subject, session: null, account: null, application: verified.application };
  return undefined;
}

const loopbackHosts = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The origins a browser write may come from: ROSTER_PUBLIC_URL's, never one derived from the request's `Host`, which
 * the client (or a DNS-rebinding page) chooses. A loopback public URL also accepts its loopback aliases on the same
 * scheme and port, since `localhost` and `127.0.0.1` are the same server and no other site can answer for them.
 */
export function trustedOrigins(publicUrl: URL): ReadonlySet<string> {
  const origins = new Set([publicUrl.origin]);
  if (loopbackHosts.includes(publicUrl.hostname)) {
    const port = publicUrl.port ? `:${publicUrl.port}` : '';
    for (const host of loopbackHosts) origins.add(`${publicUrl.protocol}//${host}${port}`);
  }
  return origins;
}

/**
 * Cookie-authenticated writes need the session's CSRF token in `X-CSRF-Token`; every browser write must also come
 * from our own origin. A browser that sends `Sec-Fetch-Site` must say `same-origin` (or `none`: typed by the user,
 * never sent by another page); an `Origin` header must be the public URL's (so `null`, a sibling site or a forged
 * `Host` fail). A request with neither header is not from a current browser (browsers send `Origin` on every
 * non-GET request); it still needs the session's CSRF token, which no other site can read. Bearer-token requests
 * never reach here.
 */
async function passesCsrfCheck(request: FastifyRequest, reply: FastifyReply, services: Services): Promise<boolean> {
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  let reason: string | null = null;
  if (site !== undefined && site !== 'same-origin' && site !== 'none') reason = `cross-site request (Sec-Fetch-Site: ${site})`;
  else if (origin !== undefined && !trustedOrigins(services.config.publicUrl).has(origin)) reason = 'foreign Origin';
  else if (request.auth?.session && request.routeOptions.config.csrf !== 'origin') {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !constantTimeEqual(sent, csrfTokenFor(request.auth.session.rawId)))
      reason = 'missing or wrong X-CSRF-Token';
  }
  if (reason === null) return true;
  const ctx = requestContext(request, services);
  await recordAuditFailure(ctx, {
    action: 'auth.csrf_rejected',
    outcome: 'denied',
    details: { reason, method: request.method, path: request.routeOptions.url ?? request.url.split('?')[0] },
  });
  sendProblem(reply, 'csrf_failed');
  return false;
}
