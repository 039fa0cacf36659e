import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../../domain/context.js';
import { changeProjectAccess } from '../../../domain/projects/change-project-access.js';
import { listProjectAccess } from '../../../domain/projects/list-project-access.js';
import { problemResponses } from '../../../shared/api/common.js';
import {
  AccessChangeSchema,
  AccessListQuerySchema,
  AccessListSchema,
  AccessParamsSchema,
  SetAccessBodySchema,
} from '../../../shared/api/project-access.js';
import { requestContext } from '../../plugins/context.js';

/** `/api/v1/projects/:id/access…` (docs/product/console.md#projects): who has which project role. */
export const projectAccessRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['projects'];
  app.get(
    '/:id/access',
    {
      schema: {
        operationId: 'listProjectAccess',
        tags,
        summary: 'Users and groups with access to the project, including implicit Admins; emails only with organization.people.view',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
        querystring: AccessListQuerySchema,
        response: { 200: AccessListSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => listProjectAccess(requestContext(request, services), request.params.id, request.query),
  );
  app.put(
    '/:id/access/:subjectType/:subjectId',
    {
      schema: {
        operationId: 'setProjectAccess',
        tags,
        summary: 'Give or change a project role',
        params: AccessParamsSchema,
        body: SetAccessBodySchema,
        response: { 200: AccessChangeSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      changeProjectAccess(requestContext(request, services), {
        projectId: request.params.id,
        subjectType: request.params.subjectType,
        subjectId: request.params.subjectId,
        role: request.body.role,
      }),
  );
  app.delete(
    '/:id/access/:subjectType/:subjectId',
    {
      schema: {
        operationId: 'removeProjectAccess',
        tags,
        summary: 'Take a project role away',
        params: AccessParamsSchema,
        response: { 200: AccessChangeSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      changeProjectAccess(requestContext(request, services), {
        projectId: request.params.id,
        subjectType: request.params.subjectType,
        subjectId: request.params.subjectId,
        role: null,
      }),
  );
};
