import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../../domain/context.js';
import { listOwnIdentities, startOwnIdentityLink, unlinkOwnIdentity } from '../../../domain/sso/own-identities.js';
import { startReauthentication } from '../../../domain/sso/reauthenticate.js';
import { ssoStateMinutes } from '../../../domain/sso/start-sso.js';
import { problemResponses } from '../../../shared/api/common.js';
import {
  LinkIdentityBodySchema,
  LinkIdentityResponseSchema,
  OwnIdentitiesResponseSchema,
  OwnIdentityParamsSchema,
  ReauthenticateBodySchema,
} from '../../../shared/api/sso.js';
import { requestContext } from '../../plugins/context.js';
import { ssoCookieName, ssoCookieOptions } from '../sso/index.js';

/** `/api/v1/me/identities`: the caller's links to identity providers (SPEC §12.2, docs/sso.md#linking-from-profile). */
export const meIdentityRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['profile'];

  app.get(
    '/identities',
    {
      schema: {
        operationId: 'listOwnIdentities',
        tags,
        summary: "Your links to the company's identity providers",
        description:
          'Answers `{ items: [{ id, identityProviderId, label, email, createdAt, lastLoginAt }], nextCursor: null }`, oldest first.',
        response: { 200: OwnIdentitiesResponseSchema, ...problemResponses(401, 403) },
      },
    },
    async (request) => listOwnIdentities(requestContext(request, services)),
  );

  app.post(
    '/identities',
    {
      schema: {
        operationId: 'linkOwnIdentity',
        tags,
        summary: 'Start linking your account to an identity provider: answers the URL to send the browser to',
        description:
          "Browser sessions only (403 `forbidden` with a token). `{ identityProviderId, currentPassword, secondFactor? }`: the current password, then the second factor once 2FA is on (403 `invalid_current_password`, 403 `mfa_required`, 400 `invalid_second_factor`). Answers `{ redirectUrl }`, the provider's authorization URL, and sets the `roster_sso` cookie; the provider sends the browser back to `/auth/sso/:id/callback`, which links the provider's account to yours only for this same session and redirects to `/profile?sso_linked=<label>` or `/profile?sso_error=<code>` (`identity_taken` when another person has linked it). 404 `not_found` for an unknown provider; 409 `conflict` when the provider cannot be reached.",
        body: LinkIdentityBodySchema,
        response: { 200: LinkIdentityResponseSchema, ...problemResponses(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const start = await startOwnIdentityLink(requestContext(request, services), request.auth?.session?.digest ?? null, request.body);
      reply.setCookie(ssoCookieName, start.handle, { ...ssoCookieOptions(services), maxAge: ssoStateMinutes * 60 });
      return { redirectUrl: start.redirectUrl };
    },
  );

  app.post(
    '/reauthenticate',
    {
      // A person created by SSO whom the 2FA policy sends to set up a factor needs this to do it.
      config: { allowMfaSetup: true },
      schema: {
        operationId: 'startReauthentication',
        tags,
        summary: "Confirm it's you with a fresh login at your identity provider (instead of a password you do not have)",
        description:
          "Browser sessions only (403 `forbidden` with a token). `{ identityProviderId, returnTo? }`: a provider you have a linked account at (404 `not_found` otherwise). Answers `{ redirectUrl }`, the provider's authorization URL with `max_age=0` and `prompt=login`, and sets the `roster_sso` cookie. The callback checks that it comes back in this same session, as the linked account (`wrong_account`), with an `auth_time` within 5 minutes (`login_not_fresh`), records the time on the session and redirects to `returnTo` (a console path, `/profile` by default) with `?reauthenticated=1`, or `?sso_error=<code>`. For 5 minutes from that login, a person without a password may leave out `currentPassword` in this session (403 `reauthentication_required` otherwise); the second factor is still required once 2FA is on. 409 `conflict` when the provider cannot be reached.",
        body: ReauthenticateBodySchema,
        response: { 200: LinkIdentityResponseSchema, ...problemResponses(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const start = await startReauthentication(requestContext(request, services), request.body);
      reply.setCookie(ssoCookieName, start.handle, { ...ssoCookieOptions(services), maxAge: ssoStateMinutes * 60 });
      return { redirectUrl: start.redirectUrl };
    },
  );

  app.delete(
    '/identities/:id',
    {
      schema: {
        operationId: 'unlinkOwnIdentity',
        tags,
        summary: 'Unlink your account from an identity provider',
        description:
          "Removes the link (`sso.unlinked`) and revokes what Roster's OpenID Connect provider issued to you. 409 `last_login_method` when you have no password and this is your last link; 404 `not_found` for a link that is not yours.",
        params: OwnIdentityParamsSchema,
        response: { 204: Type.Null(), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await unlinkOwnIdentity(requestContext(request, services), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
