import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { decideAccess, explainAccess } from '../../../domain/access/explain-access.js';
import type { Services } from '../../../domain/context.js';
import { AuthorizeBodySchema, AuthorizeResponseSchema, ExplainQuerySchema, ExplanationSchema } from '../../../shared/api/authorize.js';
import { problemResponses } from '../../../shared/api/common.js';
import { requestContext } from '../../plugins/context.js';

/**
 * The project of a question about the caller (`projectId` and no `userId`), from the body or query string before
 * validation; null for any other question. A question about another person needs that person's grants too, and keeps
 * its own reads.
 */
function projectOfQuestionAboutCaller(question: unknown): string | null {
  if (typeof question !== 'object' || question === null) return null;
  const { projectId, userId } = question as { projectId?: unknown; userId?: unknown };
  return typeof projectId === 'string' && projectId !== '' && userId === undefined ? projectId : null;
}

/**
 * `/api/v1/authorize`: decisions for other services, each with the path that granted it
 * (docs/product/roles-and-permissions.md#how-a-decision-is-made, docs/product/api.md).
 */
export const authorizeRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.post(
    '/',
    {
      // A person's OpenID Connect access token asks about that person; an application's client-credentials token names one.
      // An API token is read with the project of a question about the caller, in one statement (docs/decisions/0027).
      config: { oidcTokens: ['person', 'application'], tokenWithProject: ({ body }) => projectOfQuestionAboutCaller(body) },
      schema: {
        operationId: 'checkAuthorization',
        security: [{ bearer: [] }, { session: [] }, { oidc: ['roster:api'] }, { oidc: ['roster:authorize'] }],
        tags: ['authorization'],
        summary: 'May the caller (or another user) do this?',
        description:
          "Asking about yourself needs nothing more than authentication; asking about another person (`userId`) needs `organization.people.view`. `{ permission, projectId?, userId? }` answers `{ allowed, reason }`; a project permission needs `projectId` (400 otherwise). A person's OpenID Connect access token (scope `roster:api`) asks only about that person (`userId` of anyone else: 403). An application's client-credentials token (scope `roster:authorize`, an application allowed to use the authorization API) must name the person in `userId` (400 without it) and sees the projects as that person does.",
        body: AuthorizeBodySchema,
        response: { 200: AuthorizeResponseSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const answer = await decideAccess(requestContext(request, services), request.body, request.tokenProject);
      return { allowed: answer.allowed, reason: answer.reason };
    },
  );

  app.get(
    '/explain',
    {
      // The same one statement as `POST /authorize` for an API token's question about its holder.
      config: { tokenWithProject: ({ query }) => projectOfQuestionAboutCaller(query) },
      schema: {
        operationId: 'explainAuthorization',
        tags: ['authorization'],
        summary: 'The decision with every path that grants it, or why it is refused',
        description:
          'The same rules as `POST /authorize`, as a query. Answers `{ allowed, permission, reason, paths, subject, project }`: every path (role, group, project grant, ownership) that grants the permission, or the reason it is refused.',
        querystring: ExplainQuerySchema,
        response: { 200: ExplanationSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      return explainAccess(requestContext(request, services), request.query, request.tokenProject);
    },
  );
};
