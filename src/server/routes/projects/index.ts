import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../../domain/context.js';
import { createProject } from '../../../domain/projects/create-project.js';
import { deleteProject } from '../../../domain/projects/delete-project.js';
import { getProject } from '../../../domain/projects/get-project.js';
import { listProjects } from '../../../domain/projects/list-projects.js';
import { transferProjectOwnership } from '../../../domain/projects/transfer-project-ownership.js';
import { updateProject } from '../../../domain/projects/update-project.js';
import { problemResponses } from '../../../shared/api/common.js';
import {
  CreateProjectBodySchema,
  ListProjectsQuerySchema,
  ListProjectsResponseSchema,
  ProjectParamsSchema,
  ProjectSchema,
  TransferProjectBodySchema,
  UpdateProjectBodySchema,
} from '../../../shared/api/projects.js';
import { requestContext } from '../../plugins/context.js';

/**
 * `/api/v1/projects` (docs/product/console.md#projects): the part of projects that access needs. A project the caller
 * cannot see answers 404, never 403 (docs/product/roles-and-permissions.md#project-permissions).
 */
export const projectRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['projects'];

  app.get(
    '/',
    {
      schema: {
        operationId: 'listProjects',
        tags,
        summary: 'Projects the caller can see, by name, keyset-paged',
        description:
          "Any authenticated caller; lists only the projects the caller can see, by name, in keyset pages (`limit` 1–500, default 50), each with its `owner` and the caller's `abilities`.",
        querystring: ListProjectsQuerySchema,
        // 403: only password_change_required (a restricted session); a project itself is never a 403
        // (docs/product/roles-and-permissions.md#how-a-decision-is-made).
        response: { 200: ListProjectsResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => listProjects(requestContext(request, services), request.query),
  );

  app.post(
    '/',
    {
      schema: {
        operationId: 'createProject',
        tags,
        summary: 'Create a project; the creator becomes its owner',
        description:
          'Needs `organization.projects.create`. `{ name, description? }`; the caller becomes the owner. 201 with the project; 409 `name_taken` when a project has that name.',
        body: CreateProjectBodySchema,
        response: { 201: ProjectSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const project = await createProject(requestContext(request, services), request.body);
      return reply.code(201).send(project);
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        operationId: 'getProject',
        tags,
        summary: 'One project (needs project.view)',
        description:
          'Needs `project.view` on the project. A project the caller cannot see answers 404, never 403, so its existence is not revealed.',
        params: ProjectParamsSchema,
        // 403: only password_change_required (a restricted session); a hidden project is a 404
        // (docs/product/roles-and-permissions.md#project-permissions).
        response: { 200: ProjectSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getProject(requestContext(request, services), request.params.id),
  );

  app.patch(
    '/:id',
    {
      schema: {
        operationId: 'updateProject',
        tags,
        summary: 'Rename or describe a project (needs project.general_settings.manage)',
        description:
          'Needs `project.general_settings.manage` on the project. `{ name?, description? }`; 409 `name_taken`; answers the project. A project the caller cannot see answers 404.',
        params: ProjectParamsSchema,
        body: UpdateProjectBodySchema,
        response: { 200: ProjectSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateProject(requestContext(request, services), request.params.id, request.body),
  );

  app.delete(
    '/:id',
    {
      schema: {
        operationId: 'deleteProject',
        tags,
        summary: 'Delete a project and every grant on it (needs project.delete)',
        description:
          'Needs `project.delete` on the project. Deletes it and every grant on it; 204. A project the caller cannot see answers 404.',
        params: ProjectParamsSchema,
        response: { 204: Type.Null(), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteProject(requestContext(request, services), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/:id/owner',
    {
      schema: {
        operationId: 'transferProjectOwnership',
        tags,
        summary: 'Transfer ownership (current owner, or project.general_settings.manage); the new owner must be active',
        description:
          'By the current owner or a holder of `project.general_settings.manage`. `{ userId }`: the new owner must be an active account (400 `validation_failed` otherwise). Answers the project; a transfer and a removal of the new owner cannot interleave, so a project never ends up owned by a removed account.',
        params: ProjectParamsSchema,
        body: TransferProjectBodySchema,
        response: { 200: ProjectSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => transferProjectOwnership(requestContext(request, services), request.params.id, request.body.userId),
  );
};
