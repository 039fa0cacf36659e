import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../../domain/context.js';
import { createIdentityProvider } from '../../../domain/identity-providers/create-identity-provider.js';
import { getIdentityProvider } from '../../../domain/identity-providers/get-identity-provider.js';
import { listIdentityProviders } from '../../../domain/identity-providers/list-identity-providers.js';
import { removeIdentityProvider } from '../../../domain/identity-providers/remove-identity-provider.js';
import {
  testIdentityProviderConnection,
  testIssuerConnection,
} from '../../../domain/identity-providers/test-identity-provider-connection.js';
import { updateIdentityProvider } from '../../../domain/identity-providers/update-identity-provider.js';
import { problemResponses } from '../../../shared/api/common.js';
import {
  CreateIdentityProviderBodySchema,
  CreateIdentityProviderResponseSchema,
  IdentityProviderParamsSchema,
  IdentityProviderSchema,
  ListIdentityProvidersQuerySchema,
  ListIdentityProvidersResponseSchema,
  TestConnectionResponseSchema,
  TestIdentityProviderBodySchema,
  UpdateIdentityProviderBodySchema,
} from '../../../shared/api/identity-providers.js';
import { requestContext } from '../../plugins/context.js';

/**
 * `/api/v1/identity-providers` (SPEC §12.2, docs/sso.md): the company identity providers people log in with. Owners
 * only (`organization.identity_providers.manage`); the client secret goes in and never comes out.
 */
export const identityProviderRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['identity-providers'];

  app.get(
    '/',
    {
      schema: {
        operationId: 'listIdentityProviders',
        tags,
        summary: 'Identity providers (single sign-on), keyset-paged by label (organization.identity_providers.manage)',
        description:
          'Needs `organization.identity_providers.manage` (Owners; 403 `forbidden` otherwise). Changes nothing. `?cursor=&limit=` keyset pages by label → `{ items, nextCursor }`; each provider with its issuer, client id, scopes, claim names, group mappings and the `redirectUri` to register at the provider — never its client secret (`hasClientSecret: true`). 400 `validation_failed` for a cursor this server did not make.',
        querystring: ListIdentityProvidersQuerySchema,
        response: { 200: ListIdentityProvidersResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => listIdentityProviders(requestContext(request, services), request.query),
  );

  app.post(
    '/',
    {
      schema: {
        operationId: 'createIdentityProvider',
        tags,
        summary: 'Register an identity provider people log in with',
        description:
          'Needs `organization.identity_providers.manage` (Owners; 403 `forbidden`, recorded as denied). `{ label, issuer, clientId, clientSecret, scopes?, usernameClaim?, emailClaim?, groupsClaim?, createUnknown, linkVerifiedEmail, enforces2fa?, groupMappings?: [{ value, groupId }] }`: the label 1 to 60 characters; the issuer https (http only on localhost, 127.0.0.1 or [::1]); scopes include openid (default openid, profile, email); claims default preferred_username, email, groups; mapped groups must exist (400 `validation_failed` with `errors` per field), and only an Owner may map onto a group with an instance role or project access. The client secret is stored encrypted (503 `secret_key_missing` when the server has no secret key, nothing written) and never returned. Records `identity_provider.created` (without the secret). 201 `{ identityProvider }` with the `redirectUri` to register at the provider.',
        body: CreateIdentityProviderBodySchema,
        response: { 201: CreateIdentityProviderResponseSchema, ...problemResponses(400, 401, 403, 503) },
      },
    },
    async (request, reply) => reply.code(201).send(await createIdentityProvider(requestContext(request, services), request.body)),
  );

  app.post(
    '/test',
    {
      schema: {
        operationId: 'testIssuerConnection',
        tags,
        summary: 'Test connection to an issuer before saving it: fetch its discovery document',
        description:
          'Needs `organization.identity_providers.manage`. Changes and records nothing. `{ issuer }` (https, or http on loopback; 400 `validation_failed` otherwise). Fetches `<issuer>/.well-known/openid-configuration` without following redirects, within 5 seconds, and answers 200 either way: `{ ok: true, issuer, authorizationEndpoint, tokenEndpoint, userinfoEndpoint, jwksUri, scopesSupported, claimsSupported }` or `{ ok: false, error }` with the exact error (connection refused, HTTP 404, redirect refused, not JSON, issuer mismatch, timed out …).',
        body: TestIdentityProviderBodySchema,
        response: { 200: TestConnectionResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => testIssuerConnection(requestContext(request, services), request.body.issuer),
  );

  app.get(
    '/:id',
    {
      schema: {
        operationId: 'getIdentityProvider',
        tags,
        summary: 'One identity provider',
        description:
          'Needs `organization.identity_providers.manage`. Changes nothing. Answers the provider with its group mappings and `redirectUri`, never its client secret; 404 `not_found` for an unknown id.',
        params: IdentityProviderParamsSchema,
        response: { 200: IdentityProviderSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getIdentityProvider(requestContext(request, services), request.params.id),
  );

  app.patch(
    '/:id',
    {
      schema: {
        operationId: 'updateIdentityProvider',
        tags,
        summary: 'Change an identity provider; replace its client secret or its group mappings',
        description:
          'Needs `organization.identity_providers.manage` (403 `forbidden`, recorded as denied). Any field of create, validated the same way (400 `validation_failed`); `clientSecret` replaces the stored secret (503 `secret_key_missing` without a secret key), `groupMappings` replaces every mapping (a mapping added onto a group with an instance role or project access needs an Owner). Records `identity_provider.updated` with what changed (`clientSecret: "replaced"`, never the value). 404 `not_found`. Answers the provider.',
        params: IdentityProviderParamsSchema,
        body: UpdateIdentityProviderBodySchema,
        response: { 200: IdentityProviderSchema, ...problemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => updateIdentityProvider(requestContext(request, services), request.params.id, request.body),
  );

  app.delete(
    '/:id',
    {
      schema: {
        operationId: 'deleteIdentityProvider',
        tags,
        summary: 'Remove an identity provider: its group mappings and linked identities go with it',
        description:
          'Needs `organization.identity_providers.manage` (403 `forbidden`, recorded as denied). Removes the provider with its group mappings and the identities linked through it (nobody logs in with it any more; the groups and their members stay), and records `identity_provider.removed`. 404 `not_found`; 204.',
        params: IdentityProviderParamsSchema,
        response: { 204: Type.Null(), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeIdentityProvider(requestContext(request, services), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/:id/test',
    {
      schema: {
        operationId: 'testIdentityProviderConnection',
        tags,
        summary: "Test connection: fetch a registered provider's discovery document",
        description:
          "Needs `organization.identity_providers.manage`. Changes and records nothing. Fetches the provider's `<issuer>/.well-known/openid-configuration` without following redirects, within 5 seconds, and answers 200 either way: `{ ok: true, issuer, authorizationEndpoint, tokenEndpoint, userinfoEndpoint, jwksUri, scopesSupported, claimsSupported }` or `{ ok: false, error }` with the exact error (connection refused, HTTP 404, redirect refused, not JSON, issuer mismatch, timed out …). 404 `not_found` for an unknown id.",
        params: IdentityProviderParamsSchema,
        response: { 200: TestConnectionResponseSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => testIdentityProviderConnection(requestContext(request, services), request.params.id),
  );
};
