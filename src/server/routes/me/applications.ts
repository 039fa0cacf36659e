import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listOwnConsents } from '../../../domain/applications/list-own-consents.js';
import { revokeOwnConsent } from '../../../domain/applications/revoke-own-consent.js';
import type { Services } from '../../../domain/context.js';
import { ApplicationParamsSchema, ListConsentsResponseSchema } from '../../../shared/api/applications.js';
import { problemResponses } from '../../../shared/api/common.js';
import { requestContext } from '../../plugins/context.js';

/** `/api/v1/me/applications` (SPEC §12.4): the consents the caller gave to third-party applications, and taking one back. */
export const meApplicationRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['profile'];

  app.get(
    '/applications',
    {
      schema: {
        operationId: 'listOwnApplicationConsents',
        tags,
        summary: 'The applications you consented to, with the scopes',
        description:
          'Any signed-in account, about itself only. Changes nothing. Answers `{ items: [{ application: { id, name, clientId }, scopes, createdAt, updatedAt }] }` in one piece, by application name (first-party applications ask no consent and are not listed).',
        response: { 200: ListConsentsResponseSchema, ...problemResponses(401, 403) },
      },
    },
    async (request) => listOwnConsents(requestContext(request, services)),
  );

  app.delete(
    '/applications/:id',
    {
      schema: {
        operationId: 'revokeOwnApplicationConsent',
        tags,
        summary: 'Take back your consent to an application: its tokens and grants of yours stop working',
        description:
          'Any signed-in account, about itself only; `:id` is the application id. Deletes your consent and everything the provider issued to that application for you (codes, tokens, grants), so it must ask again; records `oidc.token_revoked` with `reason: consent_revoked`. 404 `not_found` when you have no consent to it; 204.',
        params: ApplicationParamsSchema,
        response: { 204: Type.Null(), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await revokeOwnConsent(requestContext(request, services), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
