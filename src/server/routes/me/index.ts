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
      config: { allowRestricted: true, allowMfaSetup: true },
      schema: {
        operationId: 'getMe',
        tags: ['profile'],
        summary: 'The caller',
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
        body: ChangeOwnEmailBodySchema,
        response: { 200: MeResponseSchema, ...problemResponses(400, 401, 403, 409) },
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
        body: CurrentPasswordBodySchema,
        response: { 200: ResetTokenResponseSchema, ...problemResponses(400, 401, 403) },
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
        body: CurrentPasswordBodySchema,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403) },
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
