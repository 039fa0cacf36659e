import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getRole, listPermissions, listRoles } from '../../../domain/access/list-roles.js';
import type { Services } from '../../../domain/context.js';
import { DomainError } from '../../../domain/errors.js';
import { problemResponses } from '../../../shared/api/common.js';
import { PermissionListSchema, RoleListSchema, RoleSchema, RolesQuerySchema } from '../../../shared/api/roles.js';
import { requestContext } from '../../plugins/context.js';

const readOnly = () => {
  throw new DomainError('role_read_only', 'Predefined roles cannot be created, changed or deleted (R6).');
};

/**
 * `/api/v1/roles` and `/api/v1/permissions`: the catalogue, read-only
 * (docs/product/roles-and-permissions.md#permissions, docs/product/console.md#roles).
 */
export const rolesRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/roles',
    {
      schema: {
        operationId: 'listRoles',
        tags: ['roles'],
        summary: 'Predefined roles',
        description:
          'Needs `organization.custom_roles.view`. The predefined roles (`?scope=organization|project`) with their permissions, as `{ items }` in one piece. Roles are read-only: creating, changing or deleting one answers 403 `role_read_only` (R6).',
        querystring: RolesQuerySchema,
        response: { 200: RoleListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => ({ items: listRoles(requestContext(request, services), request.query.scope) }),
  );
  app.get(
    '/roles/:id',
    {
      schema: {
        operationId: 'getRole',
        tags: ['roles'],
        summary: 'One role with its permissions',
        description:
          'Needs `organization.custom_roles.view`. One predefined role by id (`owner`, `project-reader`, …) with its permissions; 404 when there is none.',
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
        response: { 200: RoleSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getRole(requestContext(request, services), request.params.id),
  );
  // Always refused (R6): left out of the OpenAPI document, where a client generator would make methods that can only
  // fail; the route matrix still checks their 403 role_read_only.
  const refuse = {
    schema: { hide: true, tags: ['roles'], summary: 'Refused: predefined roles are read-only (R6)', response: problemResponses(401, 403) },
  };
  app.post('/roles', refuse, readOnly);
  app.put('/roles/:id', refuse, readOnly);
  app.patch('/roles/:id', refuse, readOnly);
  app.delete('/roles/:id', refuse, readOnly);

  app.get(
    '/permissions',
    {
      schema: {
        operationId: 'listPermissions',
        tags: ['roles'],
        summary: 'Every permission with its description',
        description:
          'Needs `organization.custom_roles.view`. Every permission of the catalogue, optionally of one `scope`, with its description, as `{ items }` in one piece.',
        querystring: RolesQuerySchema,
        response: { 200: PermissionListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => ({ items: listPermissions(requestContext(request, services), request.query.scope) }),
  );
};
