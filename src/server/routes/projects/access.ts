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
        description:
          'Needs `project.access.view`. Keyset pages of grants to users, then to groups, then the implicit Admins, each with `role`, `implicit`, `source` and `removable`, and `abilities: { manage }`. With `organization.people.view` a subject carries its email and the instance Owners and Admins are listed; without it neither. A project the caller cannot see answers 404.',
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
        description:
          'Needs `project.access.manage` on the project and R3 judged there (only a role whose permissions you hold on it). `{ role }` (`admin`, `contributor`, `reader`) for a `user` or a `group`; answers `{ role, changed }`, with `changed: false` and no audit event when nothing changed.',
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
        description:
          'Needs `project.access.manage` on the project. Takes the direct grant of a `user` or a `group` away and answers `{ role: null, changed }` (`changed: false` when there was none).',
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
