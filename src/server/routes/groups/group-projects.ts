import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../../domain/context.js';
import { listGroupProjects } from '../../../domain/groups/list-group-projects.js';
import { problemResponses } from '../../../shared/api/common.js';
import { GroupProjectListQuerySchema, GroupProjectListSchema } from '../../../shared/api/group-projects.js';
import { requestContext } from '../../plugins/context.js';

const GroupParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

/** `GET /api/v1/groups/:id/projects`: which projects a group can access (docs/product/api.md#groups). */
export const groupProjectsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/:id/projects',
    {
      schema: {
        operationId: 'listGroupProjects',
        tags: ['groups'],
        summary: 'The projects a group has a role on (only those the caller can see)',
        description:
          'Needs `organization.groups.view`. Up to `limit` (1–200, default 100) projects the group has a role on, by name with that role, and `truncated`; only projects the caller can see are listed.',
        params: GroupParams,
        querystring: GroupProjectListQuerySchema,
        response: { 200: GroupProjectListSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => listGroupProjects(requestContext(request, services), request.params.id, request.query),
  );
};
