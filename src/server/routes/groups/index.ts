import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../../domain/context.js';
import { changeGroupMembership } from '../../../domain/groups/change-group-membership.js';
import { createGroup } from '../../../domain/groups/create-group.js';
import { deleteGroup } from '../../../domain/groups/delete-group.js';
import { listGroupMembers } from '../../../domain/groups/list-group-members.js';
import { getGroup, listGroups } from '../../../domain/groups/list-groups.js';
import { updateGroup } from '../../../domain/groups/update-group.js';
import { problemResponses } from '../../../shared/api/common.js';
import {
  CreateGroupBodySchema,
  GroupDetailSchema,
  GroupListQuerySchema,
  GroupListSchema,
  GroupMemberListQuerySchema,
  GroupMemberListSchema,
  GroupSchema,
  MembershipChangeSchema,
  UpdateGroupBodySchema,
} from '../../../shared/api/groups.js';
import { requestContext } from '../../plugins/context.js';

const GroupParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const MemberParams = Type.Object({ id: Type.String({ maxLength: 100 }), userId: Type.String({ maxLength: 100 }) });

/** `/api/v1/groups` (docs/product/console.md#groups): groups, their members and their instance role. */
export const groupsRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['groups'];
  app.get(
    '/',
    {
      schema: {
        operationId: 'listGroups',
        tags,
        summary: 'Groups',
        description: 'Needs `organization.groups.view`. Groups by name with member counts, in keyset pages; `query` filters by name.',
        querystring: GroupListQuerySchema,
        response: { 200: GroupListSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => listGroups(requestContext(request, services), request.query),
  );
  app.post(
    '/',
    {
      schema: {
        operationId: 'createGroup',
        tags,
        summary: 'Create a group',
        description:
          'Needs `organization.groups.manage`; an instance `role` (`admin`, `member` or null) must pass R3. `{ name, description?, role? }`; 201 with the group, 409 `name_taken` when a group has that name.',
        body: CreateGroupBodySchema,
        response: { 201: GroupSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createGroup(requestContext(request, services), request.body)),
  );
  app.get(
    '/:id',
    {
      schema: {
        operationId: 'getGroup',
        tags,
        summary: 'One group (its members: GET /groups/:id/members)',
        description:
          "Needs `organization.groups.view`. The group's name, description, instance role and member count, with `abilities: { manage }`; its members are at `GET /groups/{id}/members`.",
        params: GroupParams,
        response: { 200: GroupDetailSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getGroup(requestContext(request, services), request.params.id),
  );
  app.get(
    '/:id/members',
    {
      schema: {
        operationId: 'listGroupMembers',
        tags,
        summary: 'Members of a group, by username; email and role only with organization.people.view',
        description:
          'Needs `organization.groups.view`. Keyset pages by username: with `organization.people.view` each member is `{ id, username, email, type, role, addedAt }`, otherwise only `{ id, username, type }` (`type` is `person` or `service_account`).',
        params: GroupParams,
        querystring: GroupMemberListQuerySchema,
        response: { 200: GroupMemberListSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => listGroupMembers(requestContext(request, services), request.params.id, request.query),
  );
  app.patch(
    '/:id',
    {
      schema: {
        operationId: 'updateGroup',
        tags,
        summary: 'Rename a group or change its description or instance role',
        description:
          "Needs `organization.groups.manage`. `{ name?, description?, role? }`; a new role moves its members' effective roles, so R2 and R3 apply to each of them (403 `forbidden`). 409 `name_taken`; answers the group.",
        params: GroupParams,
        body: UpdateGroupBodySchema,
        response: { 200: GroupSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateGroup(requestContext(request, services), request.params.id, request.body),
  );
  app.delete(
    '/:id',
    {
      schema: {
        operationId: 'deleteGroup',
        tags,
        summary: 'Delete a group',
        description:
          'Needs `organization.groups.manage`, and R2 and R3 for every member whose effective role would move. Deletes the group, its memberships and its project grants; 204.',
        params: GroupParams,
        response: { 204: Type.Null(), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteGroup(requestContext(request, services), request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.put(
    '/:id/members/:userId',
    {
      schema: {
        operationId: 'addGroupMember',
        tags,
        summary: 'Add a person to the group',
        description:
          "Needs `organization.groups.manage`, and R2 and R3 when the group's role would raise the person's effective role. Adds an active account and answers `{ changed }` (false when it was a member already); 404 for no such active account.",
        params: MemberParams,
        response: { 200: MembershipChangeSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) =>
      changeGroupMembership(requestContext(request, services), {
        groupId: request.params.id,
        userId: request.params.userId,
        member: true,
      }),
  );
  app.delete(
    '/:id/members/:userId',
    {
      schema: {
        operationId: 'removeGroupMember',
        tags,
        summary: 'Remove a person from the group',
        description:
          "Needs `organization.groups.manage`, and R2 and R3 when leaving would move the person's effective role. Answers `{ changed }` (false when they were not a member).",
        params: MemberParams,
        response: { 200: MembershipChangeSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) =>
      changeGroupMembership(requestContext(request, services), {
        groupId: request.params.id,
        userId: request.params.userId,
        member: false,
      }),
  );
};
