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
        description:
          'The calling person, also in a session that must set up 2FA. Answers your security keys and passkeys (`id`, `name`, `kind`, created, last used), oldest first, and whether this server offers WebAuthn (`available: false` with the reason when `ROSTER_PUBLIC_URL` has no domain name).',
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
        description:
          'The calling person with `{ currentPassword }` and, once 2FA is on, `secondFactor`; the proof comes first, so a wrong password leaves nothing on the key. Answers creation options for `navigator.credentials.create` with a single-use challenge valid 5 minutes; send the result to `POST /me/mfa/webauthn`. 400 `webauthn_unavailable` when this server offers no WebAuthn; 409 `conflict` at 20 keys.',
        body: WebAuthnChangeProofBodySchema,
        response: { 200: RegistrationOptionsResponseSchema, ...problemResponses(400, 401, 403, 409, 429) },
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
        description:
          'The calling person, after `POST /me/mfa/webauthn/options`: the new credential and its name. Answers 201 `{ credential, recoveryCodes }`, where `recoveryCodes` holds the ten codes (shown once) when this key turned 2FA on and is empty otherwise. 400 `webauthn_failed` when the challenge expired or was used or the credential does not verify; 409 `conflict` for a key already registered or a 21st key.',
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
        description:
          'The calling person. Answers request options with a single-use challenge for one of your own keys; sign it and send the assertion as `secondFactor: { webauthn }` in the body of the change it confirms (password, email, token or 2FA change). 400 `webauthn_failed` when you have no key.',
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
        description:
          'The calling person, with `{ name, currentPassword }` and, once 2FA is on, `secondFactor`. Renames one of your own keys (404 for any other) and answers it.',
        params: WebAuthnCredentialParamsSchema,
        body: RenameWebAuthnCredentialBodySchema,
        response: { 200: WebAuthnCredentialSchema, ...problemResponses(400, 401, 403, 404, 429) },
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
        description:
          'The calling person, with `{ currentPassword }` and, once 2FA is on, `secondFactor`. Removes one of your own keys (404 for any other); as your last factor it turns 2FA off, which is refused (403) while the security policy requires 2FA of you. 204.',
        params: WebAuthnCredentialParamsSchema,
        body: WebAuthnChangeProofBodySchema,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await removeOwnWebAuthnCredential(requestContext(request, services), request.params.id, request.body);
      return reply.code(204).send(null);
    },
  );
};
