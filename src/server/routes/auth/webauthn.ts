import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Services } from '../../../domain/context.js';
import { DomainError } from '../../../domain/errors.js';
import { logInWithPasskey, startPasskeyLogin } from '../../../domain/mfa/log-in-with-passkey.js';
import { startSecondFactorAssertion } from '../../../domain/mfa/start-second-factor-assertion.js';
import { webAuthnSupport } from '../../../domain/mfa/webauthn-relying-party.js';
import { describeLoginMethods } from '../../../domain/sso/describe-login-methods.js';
import { SessionResponseSchema } from '../../../shared/api/auth.js';
import { problemResponses } from '../../../shared/api/common.js';
import { AssertionOptionsResponseSchema, LoginMethodsResponseSchema, PasskeyLoginBodySchema } from '../../../shared/api/webauthn.js';
import { pendingLoginCookieName, sessionCookieName, sessionCookieOptions } from '../../plugins/authentication.js';
import { requestContext } from '../../plugins/context.js';
import { sendProblem } from '../../plugins/errors.js';
import { LoginIpThrottle, withAddressLimit } from '../../plugins/login-throttle.js';

/**
 * Passkey-login challenges one address may ask for in a sliding minute
 * (docs/product/security-settings.md#security-keys-and-passkeys). Each costs a database row and needs no credential, so
 * without a limit one client could write them as fast as it can send; a person needs one per try, and several people
 * behind one address stay well under it. A call let through counts for the whole minute, whether or not a passkey
 * login follows: its challenge row is written either way. A refused call writes nothing.
 */
export const passkeyChallengesPerMinute = 30;

/**
 * `/api/v1/auth/…` with WebAuthn: a security key on a login's second step, and **Sign in with a passkey** (docs/product/security-settings.md#security-keys-and-passkeys),
 * one complete login without a username or password. Refused passkeys count against the address's login limit
 * like wrong passwords.
 */
export const authWebAuthnRoutes: FastifyPluginAsyncTypebox<{ services: Services; throttle: LoginIpThrottle }> = async (
  app,
  { services, throttle },
) => {
  // Kept in memory per node, like the login throttle; its own budget, since asking for a challenge is not a failure.
  const challengeBudget = new LoginIpThrottle(passkeyChallengesPerMinute, 60_000, () => services.now().getTime());

  app.get(
    '/login-methods',
    {
      config: { auth: 'optional', allowRestricted: true, allowMfaSetup: true },
      schema: {
        operationId: 'listLoginMethods',
        tags: ['auth'],
        summary: 'The ways this server accepts a login, for the login page (passkeys need a domain name in ROSTER_PUBLIC_URL)',
        description:
          'Public, no credential. Answers `{ password, passkey, identityProviders, passwordLogin }`: whether the login page should offer **Sign in with a passkey**, which needs a domain name in `ROSTER_PUBLIC_URL` (browsers refuse WebAuthn on an IP address); one **Log in with <label>** button per identity provider (`{ id, label, startUrl }`, docs/sso.md); and `passwordLogin: "owners"` when Settings → Security requires SSO (password and passkey logins are then for Owners only).',
        response: { 200: LoginMethodsResponseSchema },
      },
    },
    async () => ({ password: true, passkey: webAuthnSupport(services.config).available, ...(await describeLoginMethods(services)) }),
  );

  app.post(
    '/second-factor/options',
    {
      config: { auth: 'optional', csrf: 'origin' },
      schema: {
        operationId: 'startSecondFactorWebAuthn',
        tags: ['auth'],
        summary: 'Options to finish a pending login with a security key (the pending-login cookie names the account)',
        description:
          "Needs the pending-login cookie of a login waiting for its second factor (401 `unauthenticated` without it or once it expired). Answers WebAuthn request options for `navigator.credentials.get`: a single-use challenge, valid 5 minutes, for that account's security keys and passkeys (400 `webauthn_failed` when it has none). Send the assertion as `{ webauthn }` to `POST /auth/second-factor`.",
        response: { 200: AssertionOptionsResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const rawPendingId = request.cookies[pendingLoginCookieName(services)];
      if (!rawPendingId || rawPendingId.length > 100) {
        throw new DomainError('unauthenticated', 'There is no login waiting for a second factor. Log in with your password first.');
      }
      return { options: await startSecondFactorAssertion(requestContext(request, services), rawPendingId) };
    },
  );

  app.post(
    '/passkey/options',
    {
      config: { auth: 'optional', csrf: 'origin' },
      schema: {
        operationId: 'startPasskeyLogin',
        tags: ['auth'],
        summary: 'Options for signing in with a passkey (a challenge for navigator.credentials.get)',
        description:
          'Public, no credential. Answers WebAuthn request options for **Sign in with a passkey**: a single-use challenge, valid 5 minutes, bound to no account, asking for user verification. One address may ask for 30 a sliding minute, then 429 `rate_limited` with `Retry-After`; 400 `webauthn_unavailable` when this server offers no passkeys (`GET /auth/login-methods`).',
        response: { 200: AssertionOptionsResponseSchema, ...problemResponses(400, 403, 429) },
      },
    },
    async (request, reply) => {
      const allowed = challengeBudget.reserve(request.ip);
      if (!allowed.granted) {
        const { retryAfterSeconds } = allowed;
        services.securityCounters.rateLimited('passkey_challenges');
        return sendProblem(
          reply,
          'rate_limited',
          `Too many passkey sign-ins from your address. Try again in ${retryAfterSeconds} seconds.`,
          {
            retryAfterSeconds,
          },
        );
      }
      return { options: await startPasskeyLogin(requestContext(request, services)) };
    },
  );

  app.post(
    '/passkey',
    {
      config: { auth: 'optional', csrf: 'origin' },
      schema: {
        operationId: 'logInWithPasskey',
        tags: ['auth'],
        summary: 'Sign in with a passkey: the signed assertion; sets the session cookie',
        description:
          "Public, no credential. Takes the signed assertion for a challenge of `POST /auth/passkey/options`; an accepted passkey is a complete login: the session cookie and `{ user, mustChangePassword, csrfToken }` (a restricted session when the password must change). Every refusal is 401 `passkey_not_accepted` and counts against the address's failed-login limit (10 a minute, then 429 `rate_limited` with `Retry-After`).",
        body: PasskeyLoginBodySchema,
        response: { 200: SessionResponseSchema, ...problemResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const result = await withAddressLimit({ throttle, counters: services.securityCounters }, request, reply, 'passkey_not_accepted', () =>
        logInWithPasskey(requestContext(request, services), request.body.credential),
      );
      if (!result) return reply;
      reply.setCookie(sessionCookieName(services), result.session.rawId, sessionCookieOptions(services));
      return { user: result.user, mustChangePassword: result.mustChangePassword, csrfToken: result.session.csrfToken };
    },
  );
};
