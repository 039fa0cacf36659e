import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../../domain/context.js';
import { confirmTotpSetup } from '../../../domain/mfa/confirm-totp-setup.js';
import { describeOwnMfa } from '../../../domain/mfa/describe-own-mfa.js';
import { regenerateRecoveryCodes } from '../../../domain/mfa/regenerate-recovery-codes.js';
import { removeTotp } from '../../../domain/mfa/remove-totp.js';
import { startTotpSetup } from '../../../domain/mfa/start-totp-setup.js';
import { problemResponses } from '../../../shared/api/common.js';
import {
  ConfirmTotpBodySchema,
  MfaChangeBodySchema,
  MfaStatusResponseSchema,
  RecoveryCodesResponseSchema,
  StartTotpBodySchema,
  StartTotpResponseSchema,
} from '../../../shared/api/mfa.js';
import { requestContext } from '../../plugins/context.js';

/**
 * `/api/v1/me/mfa`: the caller's own second factors (docs/product/security-settings.md#two-factor-authentication).
 * Reading and setting up an authenticator app stay open to a session that must set up 2FA (`allowMfaSetup`); every
 * change needs the current password and, once 2FA is on, a second factor. Answers that carry a seed or recovery codes
 * are `no-store`. Security keys and passkeys (`/me/mfa/webauthn…`) are registered beside these routes.
 */
export const meMfaRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/',
    {
      config: { allowMfaSetup: true },
      schema: {
        operationId: 'getOwnMfa',
        tags: ['profile'],
        summary: 'Your second factors and what the security policy asks of you',
        description:
          'The calling person, also in a session that must set up 2FA. Answers whether an authenticator app is on, your security keys and passkeys by name, how many recovery codes are left, and whether the security policy requires 2FA of you and until when.',
        response: { 200: MfaStatusResponseSchema, ...problemResponses(401, 403) },
      },
    },
    async (request) => describeOwnMfa(requestContext(request, services)),
  );

  app.post(
    '/totp',
    {
      config: { allowMfaSetup: true, optionalBody: true },
      schema: {
        operationId: 'startTotpSetup',
        tags: ['profile'],
        summary: 'Start setting up an authenticator app: a new seed (shown once) to confirm with a code',
        description:
          'The calling person with `{ currentPassword }`, also in a session that must set up 2FA. Answers `{ secret, otpauthUrl }`, a new seed shown only here (`no-store`); nothing changes until `POST /me/mfa/totp/confirm`. 409 `conflict` when an app is already set up; 503 `secret_key_missing` when the server has no secret key to encrypt the seed.',
        body: StartTotpBodySchema,
        response: { 200: StartTotpResponseSchema, ...problemResponses(400, 401, 403, 409, 429, 503) },
      },
    },
    async (request, reply) => {
      const result = await startTotpSetup(requestContext(request, services), request.body);
      reply.header('cache-control', 'no-store');
      return result;
    },
  );

  app.post(
    '/totp/confirm',
    {
      config: { allowMfaSetup: true },
      schema: {
        operationId: 'confirmTotpSetup',
        tags: ['profile'],
        summary: 'Confirm the authenticator app with its first code; turning 2FA on answers the recovery codes (shown once)',
        description:
          'The calling person, after `POST /me/mfa/totp`: `{ code }`, the first code of the app (400 `invalid_second_factor` when wrong, and nothing changes; 409 `conflict` when no setup is waiting). Turns the app on; when that turns 2FA on, the answer carries the ten recovery codes, shown only here (`no-store`).',
        body: ConfirmTotpBodySchema,
        response: { 200: RecoveryCodesResponseSchema, ...problemResponses(400, 401, 403, 409, 503) },
      },
    },
    async (request, reply) => {
      const result = await confirmTotpSetup(requestContext(request, services), request.body);
      reply.header('cache-control', 'no-store');
      return result;
    },
  );

  app.delete(
    '/totp',
    {
      config: { optionalBody: true },
      schema: {
        operationId: 'removeTotp',
        tags: ['profile'],
        summary: 'Remove your authenticator app; as the last factor it turns 2FA off (refused while the policy requires 2FA)',
        description:
          'The calling person with `{ currentPassword, secondFactor }`. Removes the authenticator app; as the last factor it turns 2FA off, which is refused (403) while the security policy requires 2FA of you. 404 when no app is set up; 204.',
        body: MfaChangeBodySchema,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await removeTotp(requestContext(request, services), request.body);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/recovery-codes',
    {
      config: { optionalBody: true },
      schema: {
        operationId: 'regenerateRecoveryCodes',
        tags: ['profile'],
        summary: 'Replace your recovery codes with ten new ones (shown once); the old ones stop working',
        description:
          'The calling person with 2FA on, with `{ currentPassword, secondFactor }` (409 `conflict` while 2FA is off). Answers `{ recoveryCodes }`: ten new codes, shown only here (`no-store`); the previous set stops working.',
        body: MfaChangeBodySchema,
        response: { 200: RecoveryCodesResponseSchema, ...problemResponses(400, 401, 403, 409, 429, 503) },
      },
    },
    async (request, reply) => {
      const result = await regenerateRecoveryCodes(requestContext(request, services), request.body);
      reply.header('cache-control', 'no-store');
      return result;
    },
  );
};
