import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../../domain/context.js';
import { setServiceAccountActive } from '../../../domain/service-accounts/change-service-account-state.js';
import { createServiceAccount } from '../../../domain/service-accounts/create-service-account.js';
import { getServiceAccount } from '../../../domain/service-accounts/get-service-account.js';
import { listServiceAccounts } from '../../../domain/service-accounts/list-service-accounts.js';
import { regenerateServiceAccountToken } from '../../../domain/service-accounts/regenerate-service-account-token.js';
import { removeServiceAccount } from '../../../domain/service-accounts/remove-service-account.js';
import { updateServiceAccount } from '../../../domain/service-accounts/update-service-account.js';
import { problemResponses } from '../../../shared/api/common.js';
import {
  CreateServiceAccountBodySchema,
  CreateServiceAccountResponseSchema,
  ListServiceAccountsQuerySchema,
  ListServiceAccountsResponseSchema,
  RegenerateTokenBodySchema,
  RegenerateTokenResponseSchema,
  ServiceAccountDetailSchema,
  ServiceAccountParamsSchema,
  UpdateServiceAccountBodySchema,
} from '../../../shared/api/service-accounts.js';
import { requestContext } from '../../plugins/context.js';

/**
 * `/api/v1/service-accounts` (docs/product/service-accounts.md, docs/product/api.md#service-accounts): machine
 * identities with one expiring `rss_` token each.
 */
export const serviceAccountRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['service-accounts'];

  app.get(
    '/',
    {
      schema: {
        operationId: 'listServiceAccounts',
        tags,
        summary: 'Service accounts, keyset-paged by name, with their token metadata (organization.service_accounts.view)',
        description:
          "Needs `organization.service_accounts.view`. `?query=&status=active|removed` (`active` includes deactivated ones); keyset pages by name, each with its token's metadata (prefix, expiry, last use), never the token.",
        querystring: ListServiceAccountsQuerySchema,
        response: { 200: ListServiceAccountsResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => listServiceAccounts(requestContext(request, services), request.query),
  );

  app.post(
    '/',
    {
      schema: {
        operationId: 'createServiceAccount',
        tags,
        summary: 'Create a service account and its first token (the token is shown once)',
        description:
          "Needs `organization.service_accounts.manage`; an Admin-role service account or a token that never expires is an Owner's act. `{ name, description?, role, expiresInDays? }` (30, 90 by default, 365, or null). 201 `{ serviceAccount, token }`: the `rss_` token appears only here. 409 `name_taken` when a person or service account holds the name.",
        body: CreateServiceAccountBodySchema,
        response: { 201: CreateServiceAccountResponseSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createServiceAccount(requestContext(request, services), request.body)),
  );

  app.get(
    '/:id',
    {
      schema: {
        operationId: 'getServiceAccount',
        tags,
        summary: 'One service account, with the projects it owns',
        description:
          "Needs `organization.service_accounts.view`. One service account in any status, with its token metadata, the projects it owns and the caller's `abilities`.",
        params: ServiceAccountParamsSchema,
        response: { 200: ServiceAccountDetailSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getServiceAccount(requestContext(request, services), request.params.id),
  );

  app.patch(
    '/:id',
    {
      schema: {
        operationId: 'updateServiceAccount',
        tags,
        summary: 'Change the name, description or role of a service account',
        description:
          "Needs `organization.service_accounts.manage` and R2 (Admins manage Member service accounts only) and R3; making one Admin is an Owner's act. `{ name?, description?, role? }`; 409 `name_taken`, 409 `conflict` for a removed one. Answers the service account.",
        params: ServiceAccountParamsSchema,
        body: UpdateServiceAccountBodySchema,
        response: { 200: ServiceAccountDetailSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateServiceAccount(requestContext(request, services), request.params.id, request.body),
  );

  app.delete(
    '/:id',
    {
      schema: {
        operationId: 'deleteServiceAccount',
        tags,
        summary: 'Delete a service account: its token, access and memberships go; 409 user_owns_projects while it owns projects',
        description:
          'Needs `organization.service_accounts.manage` and R2. Removes it: its token, project access and group memberships go, its audit history stays. 409 `user_owns_projects` while it owns projects; 204.',
        params: ServiceAccountParamsSchema,
        response: { 204: Type.Null(), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await removeServiceAccount(requestContext(request, services), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/:id/token',
    {
      schema: {
        operationId: 'regenerateServiceAccountToken',
        tags,
        summary: 'Replace the token (the old one stops at once); the new one is shown once',
        description:
          "Needs `organization.service_accounts.manage` and R2 (an Admin service account's token: Owners only). `{ expiresInDays? }` answers `{ token, expiresAt }`: the new token appears only here, and the old one fails from the next request on, on every node.",
        params: ServiceAccountParamsSchema,
        body: Type.Optional(RegenerateTokenBodySchema),
        response: { 200: RegenerateTokenResponseSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => regenerateServiceAccountToken(requestContext(request, services), request.params.id, request.body ?? {}),
  );

  app.post(
    '/:id/deactivate',
    {
      schema: {
        operationId: 'deactivateServiceAccount',
        tags,
        summary: 'Deactivate: its token is refused from the next request on, on every node',
        description:
          'Needs `organization.service_accounts.manage` and R2. Its token answers 401 `service_account_deactivated` from the next request on, on every node; its role, access and memberships stay. Answers the service account.',
        params: ServiceAccountParamsSchema,
        response: { 200: ServiceAccountDetailSchema, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request) => setServiceAccountActive(requestContext(request, services), request.params.id, false),
  );

  app.post(
    '/:id/reactivate',
    {
      schema: {
        operationId: 'reactivateServiceAccount',
        tags,
        summary: 'Reactivate: the same token works again (unless it has expired)',
        description:
          'Needs `organization.service_accounts.manage` and R2. The same token works again, unless it has expired (401 `token_expired`: regenerate it). Answers the service account.',
        params: ServiceAccountParamsSchema,
        response: { 200: ServiceAccountDetailSchema, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request) => setServiceAccountActive(requestContext(request, services), request.params.id, true),
  );
};
