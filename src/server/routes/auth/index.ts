import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { changePassword } from '../../../domain/auth/change-password.js';
import { logIn } from '../../../domain/auth/log-in.js';
import { logOut } from '../../../domain/auth/log-out.js';
import type { Services } from '../../../domain/context.js';
import { DomainError } from '../../../domain/errors.js';
import { ChangePasswordBodySchema, LoginBodySchema, SessionResponseSchema } from '../../../shared/api/auth.js';
import { problemResponses } from '../../../shared/api/common.js';
import { sessionCookieName } from '../../plugins/authentication.js';
import { requestContext } from '../../plugins/context.js';
import { sendProblem } from '../../plugins/errors.js';
import type { LoginIpThrottle } from '../../plugins/login-throttle.js';

/**
 * `/api/v1/auth`: log in, log out, change password (docs/product/console.md#first-login-and-forced-password-change,
 * docs/product/security-settings.md).
 */
export const authRoutes: FastifyPluginAsyncTypebox<{ services: Services; throttle: LoginIpThrottle }> = async (
  app,
  { services, throttle },
) => {
  const cookieName = sessionCookieName(services);
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: services.config.publicUrl.protocol === 'https:',
  };

  app.post(
    '/login',
    {
      config: { auth: 'optional', csrf: 'origin' },
      schema: {
        operationId: 'logIn',
        tags: ['auth'],
        summary: 'Log in with email or username and password; sets the session cookie',
        body: LoginBodySchema,
        response: { 200: SessionResponseSchema, ...problemResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      // Reserved before the password is hashed (docs/product/security-settings.md#login-throttling); only a failed
      // check keeps the reservation.
      const attempt = throttle.reserve(request.ip);
      if (!attempt.granted) {
        const { retryAfterSeconds } = attempt;
        return sendProblem(reply, 'rate_limited', `Too many failed logins from your address. Try again in ${retryAfterSeconds} seconds.`, {
          retryAfterSeconds,
        });
      }
      const result = await logIn(requestContext(request, services), request.body).catch((error: unknown) => {
        if (!(error instanceof DomainError && error.code === 'invalid_credentials')) attempt.release();
        throw error;
      });
      attempt.release();
      reply.setCookie(cookieName, result.session.rawId, cookieOptions);
      return { user: result.user, mustChangePassword: result.mustChangePassword, csrfToken: result.session.csrfToken };
    },
  );

  app.post(
    '/logout',
    {
      config: { auth: 'optional', allowRestricted: true },
      schema: {
        operationId: 'logOut',
        tags: ['auth'],
        summary: 'End this browser session',
        response: { 204: Type.Null(), ...problemResponses(403) },
      },
    },
    async (request, reply) => {
      if (request.auth?.session) await logOut(requestContext(request, services), request.auth.session.digest);
      void reply.clearCookie(cookieName, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/password',
    {
      config: { allowRestricted: true },
      schema: {
        operationId: 'changePassword',
        tags: ['auth'],
        summary: 'Change your password (voluntary, or forced after a temporary password); rotates the session',
        body: ChangePasswordBodySchema,
        response: { 200: SessionResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const auth = request.auth;
      if (!auth) throw new DomainError('unauthenticated');
      const result = await changePassword(requestContext(request, services), request.body, {
        restrictedSession: auth.method === 'session' && auth.subject.restricted,
      });
      if (auth.method === 'session') reply.setCookie(cookieName, result.session.rawId, cookieOptions);
      return { user: result.user, mustChangePassword: false, csrfToken: result.session.csrfToken };
    },
  );
};
