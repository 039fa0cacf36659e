import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createApplication } from '../../../domain/applications/create-application.js';
import { getApplication } from '../../../domain/applications/get-application.js';
import { listApplications } from '../../../domain/applications/list-applications.js';
import { removeApplication } from '../../../domain/applications/remove-application.js';
import { rotateApplicationSecret } from '../../../domain/applications/rotate-application-secret.js';
import { updateApplication } from '../../../domain/applications/update-application.js';
import type { Services } from '../../../domain/context.js';
import {
  ApplicationParamsSchema,
  ApplicationSchema,
  CreateApplicationBodySchema,
  CreateApplicationResponseSchema,
  ListApplicationsQuerySchema,
  ListApplicationsResponseSchema,
  RotateSecretResponseSchema,
  UpdateApplicationBodySchema,
} from '../../../shared/api/applications.js';
import { problemResponses } from '../../../shared/api/common.js';
import { requestContext } from '../../plugins/context.js';

/**
 * `/api/v1/applications` (SPEC §12.1, docs/product/api.md#applications): the applications that sign people in through
 * Roster's OpenID Connect provider. Trust (first-party, `authorizeApi`, `rosterApi`) is an Owner's act.
 */
export const applicationRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['applications'];

  app.get(
    '/',
    {
      schema: {
        operationId: 'listApplications',
        tags,
        summary: 'Applications (OpenID Connect clients), keyset-paged by name (organization.applications.view)',
        description:
          "Needs `organization.applications.view` (Owners and Admins; 403 `forbidden` otherwise). Changes nothing. `?cursor=&limit=` keyset pages by name → `{ items, nextCursor }`; each application with its client id, redirect URIs, trust flags, allowed groups and the caller's `abilities` — never a secret or its digest. 400 `validation_failed` for a cursor this server did not make.",
        querystring: ListApplicationsQuerySchema,
        response: { 200: ListApplicationsResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => listApplications(requestContext(request, services), request.query),
  );

  app.post(
    '/',
    {
      schema: {
        operationId: 'createApplication',
        tags,
        summary: 'Register an application; a confidential one gets a client secret, shown once',
        description:
          'Needs `organization.applications.manage`; `firstParty`, `authorizeApi` or `rosterApi` need `organization.applications.trust` too (Owners; 403 `forbidden`, recorded as denied). Registers it and records `application.created`. `{ name, type, redirectUris, postLogoutRedirectUris?, firstParty?, allowedGroupIds?, authorizeApi?, rosterApi? }`: redirect URIs are exact, absolute, without fragment, https or http on localhost/127.0.0.1/[::1]; `authorizeApi` only for a confidential application; allowed groups must exist (400 `validation_failed` with `errors` per field). 201 `{ application, clientSecret? }`: the `rcs_` secret of a confidential application appears only here.',
        body: CreateApplicationBodySchema,
        response: { 201: CreateApplicationResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await createApplication(requestContext(request, services), request.body)),
  );

  app.get(
    '/:id',
    {
      schema: {
        operationId: 'getApplication',
        tags,
        summary: 'One application',
        description:
          "Needs `organization.applications.view`. Changes nothing. Answers the application with its allowed groups and the caller's `abilities` (never a secret or digest); 404 `not_found` for an unknown id.",
        params: ApplicationParamsSchema,
        response: { 200: ApplicationSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getApplication(requestContext(request, services), request.params.id),
  );

  app.patch(
    '/:id',
    {
      schema: {
        operationId: 'updateApplication',
        tags,
        summary: 'Change the name, redirect URIs, trust flags or allowed groups of an application',
        description:
          "Needs `organization.applications.manage`; a trusted application (first-party, `authorizeApi` or `rosterApi`) or setting one of those flags needs `organization.applications.trust` (Owners; 403 `forbidden`, recorded as denied). `{ name?, redirectUris?, postLogoutRedirectUris?, firstParty?, allowedGroupIds?, authorizeApi?, rosterApi? }` (the type never changes), validated like create (400 `validation_failed`); records `application.updated` with what changed. Narrowing the allowed groups revokes the tokens and grants of people no longer allowed; switching `authorizeApi` or `rosterApi` off revokes all of the application's. 404 `not_found`. Answers the application.",
        params: ApplicationParamsSchema,
        body: UpdateApplicationBodySchema,
        response: { 200: ApplicationSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => updateApplication(requestContext(request, services), request.params.id, request.body),
  );

  app.delete(
    '/:id',
    {
      schema: {
        operationId: 'deleteApplication',
        tags,
        summary: 'Remove an application: its consents, codes, tokens and grants go with it',
        description:
          'Needs `organization.applications.manage`, and `organization.applications.trust` for a trusted application (403 `forbidden`, recorded as denied). Removes it with its allowed groups, every consent given to it and everything the provider issued to it (nothing works from the next request on), and records `application.removed`. 404 `not_found`; 204.',
        params: ApplicationParamsSchema,
        response: { 204: Type.Null(), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeApplication(requestContext(request, services), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/:id/secret',
    {
      schema: {
        operationId: 'rotateApplicationSecret',
        tags,
        summary: 'A new client secret, shown once; the previous one works 24 more hours',
        description:
          'Needs `organization.applications.manage`, and `organization.applications.trust` for a trusted application (403 `forbidden`, recorded as denied). Replaces the client secret and records `application.secret_rotated`; the replaced secret keeps working for 24 hours, one replaced before that stops at once. Answers `{ application, clientSecret }`: the new `rcs_` secret appears only here. 409 `conflict` for a public application (it has no secret); 404 `not_found`.',
        params: ApplicationParamsSchema,
        response: { 200: RotateSecretResponseSchema, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request) => rotateApplicationSecret(requestContext(request, services), request.params.id),
  );
};
