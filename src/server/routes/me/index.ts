import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../../../domain/context.js';
import { DomainError } from '../../../domain/errors.js';
import { changeOwnEmail } from '../../../domain/profile/change-own-email.js';
import { changeUsername } from '../../../domain/profile/change-username.js';
import { describeMe } from '../../../domain/profile/describe-me.js';
import { listOwnSessions } from '../../../domain/profile/list-own-sessions.js';
import { revokeOtherOwnSessions, revokeOwnSession } from '../../../domain/profile/revoke-own-session.js';
import { csrfTokenFor } from '../../../domain/sessions/session-tokens.js';
import { resetApiToken } from '../../../domain/tokens/reset-api-token.js';
import { revokeApiToken } from '../../../domain/tokens/revoke-api-token.js';
import { problemResponses } from '../../../shared/api/common.js';
import {
  ChangeOwnEmailBodySchema,
  CurrentPasswordBodySchema,
  EndOwnSessionsResponseSchema,
  MeResponseSchema,
  OwnSessionParamsSchema,
  OwnSessionsResponseSchema,
  ResetTokenResponseSchema,
  UpdateMeBodySchema,
} from '../../../shared/api/me.js';
import { type RequestAuth, sessionCookieName } from '../../plugins/authentication.js';
import { requestContext } from '../../plugins/context.js';

function requireAuth(request: FastifyRequest): RequestAuth {
  if (!request.auth) throw new DomainError('unauthenticated');
  return request.auth;
}

/**
 * `/api/v1/me`: the caller, and their own profile settings (docs/product/console.md#profile-settings): screen name,
 * email, API token, sessions.
 */
export const meRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  /** After a change the account is read again; only a plain GET may reuse what authentication read. */
  const describe = async (request: FastifyRequest, auth: RequestAuth, fresh = true) => {
    const me = await describeMe(requestContext(request, services), fresh ? undefined : (auth.account ?? undefined));
    return {
      ...me,
      csrfToken: auth.session ? csrfTokenFor(auth.session.rawId) : null,
      passwordMinLength: services.config.passwordMinLength,
    };
  };

  app.get(
    '/',
    {
      // The one /me route a person's OpenID Connect access token (scope roster:api) may call.
      config: { allowRestricted: true, allowMfaSetup: true, oidcTokens: ['person'] },
      schema: {
        operationId: 'getMe',
        security: [{ bearer: [] }, { session: [] }, { oidc: ['roster:api'] }],
        tags: ['profile'],
        summary: 'The caller',
        description:
          "Any authenticated caller, a restricted session included (temporary password, or 2FA setup due). Answers the account, its effective role, instance permissions and console abilities, token metadata (`{ prefix, createdAt, lastUsedAt }` or null), the session's CSRF token (null with an API token) and `passwordMinLength`. Also answers to a person's OpenID Connect access token with the scope `roster:api`, as that person.",
        response: { 200: MeResponseSchema, ...problemResponses(401) },
      },
    },
    async (request) => describe(request, requireAuth(request), false),
  );

  app.patch(
    '/',
    {
      schema: {
        operationId: 'changeMyUsername',
        tags: ['profile'],
        summary: 'Change your screen name (username); the old one is free at once',
        description:
          'The calling person (a service account cannot change itself, 403). `{ username }` must follow the username rules (400 `invalid_username`) and be free among active accounts (409 `username_taken`); the old name is free at once. Answers the caller as `GET /me` does.',
        body: UpdateMeBodySchema,
        response: { 200: MeResponseSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      await changeUsername(requestContext(request, services), request.body);
      return describe(request, auth);
    },
  );

  app.post(
    '/email',
    {
      schema: {
        operationId: 'changeMyEmail',
        tags: ['profile'],
        summary: 'Change your email address; needs the current password and ends your other sessions',
        description:
          'The calling person: `{ email, currentPassword }`, plus `secondFactor` once 2FA is on (403 `invalid_current_password`, 403 `mfa_required`). 400 `invalid_email`, 409 `email_taken` when another active account has it. Ends your other sessions (this one stays) and answers the caller as `GET /me` does.',
        body: ChangeOwnEmailBodySchema,
        response: { 200: MeResponseSchema, ...problemResponses(400, 401, 403, 409, 429) },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      await changeOwnEmail(requestContext(request, services), request.body, auth.session?.digest ?? null);
      return describe(request, auth);
    },
  );

  app.post(
    '/token',
    {
      config: { optionalBody: true },
      schema: {
        operationId: 'resetMyToken',
        tags: ['profile'],
        summary: 'Reset your personal API token: the old one stops working at once; the new one is shown only in this response',
        description:
          'The calling person, with `{ currentPassword }` and, once 2FA is on, `secondFactor`. Answers `{ token, prefix, createdAt }`: the plaintext token appears only in this answer (`Cache-Control: no-store`), and the previous token stops working at once. A service account cannot reset its own token (403).',
        body: CurrentPasswordBodySchema,
        response: { 200: ResetTokenResponseSchema, ...problemResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const result = await resetApiToken(requestContext(request, services), request.body);
      // Set explicitly (not only by the API-wide hook): this body must never be stored by any cache.
      reply.header('cache-control', 'no-store');
      return result;
    },
  );

  app.delete(
    '/token',
    {
      config: { optionalBody: true },
      schema: {
        operationId: 'revokeMyToken',
        tags: ['profile'],
        summary: 'Revoke your personal API token; needs the current password',
        description:
          'The calling person, with `{ currentPassword }` and, once 2FA is on, `secondFactor` (403 `invalid_current_password`, 403 `mfa_required`). Deletes your personal API token: requests with it then answer 401 `invalid_token`. 204.',
        body: CurrentPasswordBodySchema,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      await revokeApiToken(requestContext(request, services), request.body);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/sessions',
    {
      schema: {
        operationId: 'listMySessions',
        tags: ['profile'],
        summary: 'Your live browser sessions, most recently used first',
        description:
          "The calling person. Answers `{ items }` in one piece: each live browser session's public id, created, last seen, expiry, IP address, user agent, whether it is restricted and whether it is the one of this request; most recently used first.",
        response: { 200: OwnSessionsResponseSchema, ...problemResponses(401, 403) },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      const items = await listOwnSessions(requestContext(request, services), auth.session?.digest ?? null);
      return { items };
    },
  );

  app.delete(
    '/sessions/:id',
    {
      schema: {
        operationId: 'endMySession',
        tags: ['profile'],
        summary: 'Sign out one of your sessions',
        description:
          'The calling person; `id` is a public session id from `GET /me/sessions` (404 for any other). Ends that session at once on every node; ending the current one also clears its cookie. 204.',
        params: OwnSessionParamsSchema,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      const ended = await revokeOwnSession(requestContext(request, services), request.params.id, auth.session?.digest ?? null);
      if (ended.current) void reply.clearCookie(sessionCookieName(services), { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/sessions',
    {
      schema: {
        operationId: 'endMyOtherSessions',
        tags: ['profile'],
        summary: 'Sign out everywhere else: ends every session except the one of this request',
        description:
          'The calling person. Ends every one of your browser sessions except the one making this request and answers `{ sessionsEnded }`.',
        response: { 200: EndOwnSessionsResponseSchema, ...problemResponses(401, 403) },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      const sessionsEnded = await revokeOtherOwnSessions(requestContext(request, services), auth.session?.digest ?? null);
      return { sessionsEnded };
    },
  );
};
