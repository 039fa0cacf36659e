import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../../domain/context.js';
import { callerSubject } from '../../../domain/context.js';
import {
  listOwnWebAuthnCredentials,
  removeOwnWebAuthnCredential,
  renameOwnWebAuthnCredential,
} from '../../../domain/mfa/manage-webauthn-credentials.js';
import { finishWebAuthnRegistration, startWebAuthnRegistration } from '../../../domain/mfa/register-webauthn-credential.js';
import { startAccountAssertion } from '../../../domain/mfa/webauthn-assertions.js';
import { problemResponses } from '../../../shared/api/common.js';
import {
  AddWebAuthnCredentialResponseSchema,
  AssertionOptionsResponseSchema,
  FinishWebAuthnRegistrationBodySchema,
  RegistrationOptionsResponseSchema,
  RenameWebAuthnCredentialBodySchema,
  WebAuthnChangeProofBodySchema,
  WebAuthnCredentialParamsSchema,
  WebAuthnCredentialSchema,
  WebAuthnCredentialsResponseSchema,
} from '../../../shared/api/webauthn.js';
import { requestContext } from '../../plugins/context.js';

/**
 * `/api/v1/me/mfa/webauthn`: the caller's security keys and passkeys
 * (docs/product/security-settings.md#security-keys-and-passkeys). Adding one is two requests (options, then the new
 * credential); every change needs the current password and, once 2FA is on, a second factor. Listing and adding stay
 * open to a session that must set up 2FA (a key meets the policy).
 */
export const meWebAuthnRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/mfa/webauthn',
    {
      // Adding a key is one way to meet the policy: open to a session that must set up 2FA.
      config: { allowMfaSetup: true },
      schema: {
        operationId: 'listWebAuthnCredentials',
        tags: ['profile'],
        summary: 'Your security keys and passkeys, oldest first',
        response: { 200: WebAuthnCredentialsResponseSchema, ...problemResponses(401, 403) },
      },
    },
    async (request) => listOwnWebAuthnCredentials(requestContext(request, services)),
  );

  app.post(
    '/mfa/webauthn/options',
    {
      // Adding a key is one way to meet the policy: open to a session that must set up 2FA.
      config: { allowMfaSetup: true, optionalBody: true },
      schema: {
        operationId: 'startWebAuthnRegistration',
        tags: ['profile'],
        summary: 'Start adding a security key or passkey: checks your password (and second factor), returns the creation options',
        body: WebAuthnChangeProofBodySchema,
        response: { 200: RegistrationOptionsResponseSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request) => ({ options: await startWebAuthnRegistration(requestContext(request, services), request.body) }),
  );

  app.post(
    '/mfa/webauthn',
    {
      // Adding a key is one way to meet the policy: open to a session that must set up 2FA.
      config: { allowMfaSetup: true },
      schema: {
        operationId: 'addWebAuthnCredential',
        tags: ['profile'],
        summary: 'Finish adding a security key or passkey: the new credential and its name',
        body: FinishWebAuthnRegistrationBodySchema,
        response: { 201: AddWebAuthnCredentialResponseSchema, ...problemResponses(400, 401, 403, 409, 503) },
      },
    },
    async (request, reply) => {
      const created = await finishWebAuthnRegistration(requestContext(request, services), request.body);
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/mfa/webauthn/confirmation-options',
    {
      schema: {
        operationId: 'startWebAuthnConfirmation',
        tags: ['profile'],
        summary: 'Options to confirm a change with one of your security keys (the `secondFactor: { webauthn }` of a change)',
        response: { 200: AssertionOptionsResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const ctx = requestContext(request, services);
      return { options: await startAccountAssertion(ctx, callerSubject(ctx).userId, 'confirmation') };
    },
  );

  app.patch(
    '/mfa/webauthn/:id',
    {
      schema: {
        operationId: 'renameWebAuthnCredential',
        tags: ['profile'],
        summary: 'Rename one of your security keys or passkeys',
        params: WebAuthnCredentialParamsSchema,
        body: RenameWebAuthnCredentialBodySchema,
        response: { 200: WebAuthnCredentialSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => renameOwnWebAuthnCredential(requestContext(request, services), request.params.id, request.body),
  );

  app.delete(
    '/mfa/webauthn/:id',
    {
      config: { optionalBody: true },
      schema: {
        operationId: 'removeWebAuthnCredential',
        tags: ['profile'],
        summary: 'Remove one of your security keys or passkeys',
        params: WebAuthnCredentialParamsSchema,
        body: WebAuthnChangeProofBodySchema,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeOwnWebAuthnCredential(requestContext(request, services), request.params.id, request.body);
      return reply.code(204).send(null);
    },
  );
};
