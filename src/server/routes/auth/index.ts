import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { changePassword } from '../../../domain/auth/change-password.js';
import { completeSecondFactor } from '../../../domain/auth/complete-second-factor.js';
import { type LoginResult, logIn } from '../../../domain/auth/log-in.js';
import { logOut } from '../../../domain/auth/log-out.js';
import { pendingLoginMinutes } from '../../../domain/auth/pending-login.js';
import type { Services } from '../../../domain/context.js';
import { DomainError } from '../../../domain/errors.js';
import { ChangePasswordBodySchema, LoginBodySchema, LoginResponseSchema, SessionResponseSchema } from '../../../shared/api/auth.js';
import { problemResponses } from '../../../shared/api/common.js';
import { SecondFactorSchema } from '../../../shared/api/mfa.js';
import { pendingLoginCookieName, sessionCookieName } from '../../plugins/authentication.js';
import { requestContext } from '../../plugins/context.js';
import { type LoginIpThrottle, withAddressLimit } from '../../plugins/login-throttle.js';

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

  const pendingCookieName = pendingLoginCookieName(services);
  // The pending login's cookie: its own name, never a session (docs/product/security-settings.md#two-factor-authentication).
  const pendingCookieOptions = { ...cookieOptions, sameSite: 'strict' as const, maxAge: pendingLoginMinutes * 60 };

  // docs/product/security-settings.md#login-throttling: every secret checked here reserves a slot of the address first.
  const addressLimit = { throttle, counters: services.securityCounters };

  const answerSession = (reply: FastifyReply, result: LoginResult) => {
    void reply.clearCookie(pendingCookieName, { path: '/' });
    reply.setCookie(cookieName, result.session.rawId, cookieOptions);
    return { user: result.user, mustChangePassword: result.mustChangePassword, csrfToken: result.session.csrfToken };
  };

  app.post(
    '/login',
    {
      config: { auth: 'optional', csrf: 'origin' },
      schema: {
        operationId: 'logIn',
        tags: ['auth'],
        summary: 'Log in with email or username and password; sets the session cookie, or with 2FA on a pending-login cookie',
        description:
          "Anyone may call it; a browser's request must come from Roster's own origin (no CSRF token yet). A right password answers `{ user, mustChangePassword, csrfToken }` and sets the session cookie or, for an account with two-factor authentication, `{ secondFactorRequired: true, methods }` and a 5-minute pending-login cookie for `POST /auth/second-factor`. Every failure (unknown account, wrong password, locked account, spent temporary password) is the same 401 `invalid_credentials`; the fifth failure in a row locks the account for 1 minute, doubling up to 15. Ten failed logins from one address within a minute, or a full password-hashing queue, answer 429 `rate_limited` with `Retry-After`.",
        body: LoginBodySchema,
        response: {
          200: LoginResponseSchema,
          ...problemResponses(400, 401, 403, 429),
        },
      },
    },
    async (request, reply) => {
      const result = await withAddressLimit(addressLimit, request, reply, 'invalid_credentials', () =>
        logIn(requestContext(request, services), request.body),
      );
      if (!result) return reply;
      if (result.kind === 'second_factor') {
        reply.setCookie(pendingCookieName, result.pendingLogin.rawId, pendingCookieOptions);
        return { secondFactorRequired: true as const, methods: result.methods };
      }
      return answerSession(reply, result);
    },
  );

  app.post(
    '/second-factor',
    {
      config: { auth: 'optional', csrf: 'origin' },
      schema: {
        operationId: 'completeSecondFactor',
        tags: ['auth'],
        summary: 'Finish a login with its second factor (TOTP code, recovery code or WebAuthn assertion); answers like a login',
        description:
          'Needs the pending-login cookie of `POST /auth/login`; without it, or once the pending login has expired (5 minutes), taken 5 codes or outlived a password change, 401 `unauthenticated`: log in again. Takes `{ code }` (TOTP or recovery code) or `{ webauthn }` and answers like a login: the session cookie and `{ user, mustChangePassword, csrfToken }`. A wrong or already used code, or any code while the account is locked, is 400 `invalid_second_factor` and counts against the same per-account and per-address limits as a password (429 `rate_limited` with `Retry-After`).',
        body: SecondFactorSchema,
        response: { 200: SessionResponseSchema, ...problemResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const rawPendingId = request.cookies[pendingCookieName];
      if (!rawPendingId || rawPendingId.length > 100) {
        throw new DomainError('unauthenticated', 'There is no login waiting for a second factor. Log in with your password first.');
      }
      const result = await withAddressLimit(addressLimit, request, reply, 'invalid_second_factor', () =>
        completeSecondFactor(requestContext(request, services), rawPendingId, request.body),
      ).catch((error: unknown) => {
        if (error instanceof DomainError && error.code === 'unauthenticated') void reply.clearCookie(pendingCookieName, { path: '/' });
        throw error;
      });
      if (!result) return reply;
      return answerSession(reply, result);
    },
  );

  app.post(
    '/logout',
    {
      config: { auth: 'optional', allowRestricted: true, allowMfaSetup: true },
      schema: {
        operationId: 'logOut',
        tags: ['auth'],
        summary: 'End this browser session',
        description:
          'Needs no credential: ends the session of the cookie, a restricted one included, and clears the cookie; always 204. With a session cookie the CSRF token and origin check apply (403 `csrf_failed`). An API token is not touched: revoke it with `DELETE /me/token`.',
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
        description:
          'The calling person changes their own password: `{ currentPassword, newPassword }`, plus `secondFactor` once 2FA is on (403 `invalid_current_password`, 403 `mfa_required`, 400 `invalid_second_factor`). The restricted session opened with a temporary password may leave `currentPassword` out; so may a person created by single sign-on, who has no password, within 5 minutes of a fresh provider login in this session (`POST /me/reauthenticate`; 403 `reauthentication_required` otherwise): that sets their first password. The new password must pass the password policy (400 `password_policy`). Ends every session of the person and answers like a login, with a new session for the caller.',
        body: ChangePasswordBodySchema,
        response: { 200: SessionResponseSchema, ...problemResponses(400, 401, 403, 429) },
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
