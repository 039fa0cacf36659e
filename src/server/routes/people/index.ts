import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listEffectivePermissions } from '../../../domain/access/list-effective-permissions.js';
import type { Services } from '../../../domain/context.js';
import { changeEmailAsAdmin } from '../../../domain/people/change-email-as-admin.js';
import { changeRole } from '../../../domain/people/change-role.js';
import { createAccounts } from '../../../domain/people/create-accounts.js';
import { endPersonSessions } from '../../../domain/people/end-person-sessions.js';
import { exportPeople } from '../../../domain/people/export-people.js';
import { getPerson } from '../../../domain/people/get-person.js';
import { listPeople } from '../../../domain/people/list-people.js';
import { lookupPeople } from '../../../domain/people/lookup-people.js';
import { removePerson } from '../../../domain/people/remove-person.js';
import { resetPassword } from '../../../domain/people/reset-password.js';
import { resetPersonMfa } from '../../../domain/people/reset-person-mfa.js';
import { unlockPerson } from '../../../domain/people/unlock-person.js';
import { PersonPermissionsQuerySchema, PersonPermissionsSchema } from '../../../shared/api/authorize.js';
import { problemResponses } from '../../../shared/api/common.js';
import { MfaResetResponseSchema } from '../../../shared/api/mfa.js';
import {
  ChangeEmailBodySchema,
  ChangeRoleBodySchema,
  CreateAccountsBodySchema,
  CreateAccountsResponseSchema,
  EndSessionsResponseSchema,
  ListPeopleQuerySchema,
  ListPeopleResponseSchema,
  LookupPeopleQuerySchema,
  LookupPeopleResponseSchema,
  PasswordResetBodySchema,
  PasswordResetResponseSchema,
  PeopleFilterSchema,
  PersonDetailSchema,
  PersonParamsSchema,
} from '../../../shared/api/people.js';
import { requestContext } from '../../plugins/context.js';

/**
 * `/api/v1/people` (docs/product/console.md#people, docs/product/api.md): list, add, edit, reset, unlock, sign out,
 * remove and export people.
 */
export const peopleRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['people'];

  app.get(
    '/',
    {
      schema: {
        operationId: 'listPeople',
        tags,
        summary: 'People, keyset-paged by username; search matches username or email (prefix matches first)',
        querystring: ListPeopleQuerySchema,
        response: { 200: ListPeopleResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => listPeople(requestContext(request, services), request.query),
  );

  app.post(
    '/',
    {
      bodyLimit: 1024 * 1024,
      schema: {
        operationId: 'createPeople',
        tags,
        summary: 'Create up to 500 accounts with temporary passwords; each row succeeds or fails on its own',
        body: CreateAccountsBodySchema,
        response: { 200: CreateAccountsResponseSchema, ...problemResponses(400, 401, 403, 413) },
      },
    },
    async (request) => {
      const results = await createAccounts(requestContext(request, services), request.body);
      return { results };
    },
  );

  app.get(
    '/lookup',
    {
      schema: {
        operationId: 'lookupPeople',
        tags,
        summary: 'First active people matching a username or email (for pickers); open to project Admins too',
        querystring: LookupPeopleQuerySchema,
        response: { 200: LookupPeopleResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => ({
      items: await lookupPeople(requestContext(request, services), request.query.query ?? '', request.query.limit ?? 20),
    }),
  );

  app.get(
    '/export',
    {
      schema: {
        operationId: 'exportPeople',
        tags,
        summary: 'Every person matching the filter as CSV: username, email, role, groups, status, created, last seen (streamed)',
        querystring: PeopleFilterSchema,
        produces: ['text/csv'],
        response: {
          200: Type.String({
            description: 'CSV with a header row, streamed',
            examples: [
              'username,email,role,groups,status,created,last seen\nada,ada@example.com,member,Payroll,active,2026-12-01T09:30:00.000Z,\n',
            ],
          }),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const csv = exportPeople(requestContext(request, services), request.query);
      const stamp = services.now().toISOString().slice(0, 10);
      reply.header('content-disposition', `attachment; filename="roster-people-${stamp}.csv"`);
      reply.type('text/csv; charset=utf-8');
      // A stream is sent as is (no serialisation); the schema above documents its content for OpenAPI.
      return reply.send(csv as unknown as string);
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        operationId: 'getPerson',
        tags,
        summary: 'One person, with what the caller may do to them (abilities and disabled reasons)',
        params: PersonParamsSchema,
        response: { 200: PersonDetailSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getPerson(requestContext(request, services), request.params.id),
  );

  app.get(
    '/:id/permissions',
    {
      schema: {
        operationId: 'listPersonPermissions',
        tags,
        summary: 'Their effective permissions, each with the paths that grant it or why it is refused',
        params: PersonParamsSchema,
        querystring: PersonPermissionsQuerySchema,
        response: { 200: PersonPermissionsSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => listEffectivePermissions(requestContext(request, services), request.params.id, request.query.project),
  );

  app.put(
    '/:id/role',
    {
      schema: {
        operationId: 'changePersonRole',
        tags,
        summary: 'Change the instance role (R1–R3)',
        params: PersonParamsSchema,
        body: ChangeRoleBodySchema,
        response: { 200: PersonDetailSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => changeRole(requestContext(request, services), request.params.id, request.body.role),
  );

  app.put(
    '/:id/email',
    {
      schema: {
        operationId: 'changePersonEmail',
        tags,
        summary: "Change someone else's email address (R2)",
        params: PersonParamsSchema,
        body: ChangeEmailBodySchema,
        response: { 200: PersonDetailSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => changeEmailAsAdmin(requestContext(request, services), request.params.id, request.body.email),
  );

  app.post(
    '/:id/password-reset',
    {
      schema: {
        operationId: 'resetPersonPassword',
        tags,
        summary: 'New temporary password (shown once); ends their sessions, optionally revokes their API token',
        params: PersonParamsSchema,
        body: PasswordResetBodySchema,
        response: { 200: PasswordResetResponseSchema, ...problemResponses(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const result = await resetPassword(requestContext(request, services), request.params.id, request.body);
      reply.header('cache-control', 'no-store');
      return result;
    },
  );

  app.post(
    '/:id/mfa-reset',
    {
      schema: {
        operationId: 'resetPersonMfa',
        tags,
        summary: 'Reset two-factor authentication: remove every factor (apps, security keys, passkeys) and end their sessions',
        params: PersonParamsSchema,
        response: { 200: MfaResetResponseSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => resetPersonMfa(requestContext(request, services), request.params.id),
  );

  app.post(
    '/:id/unlock',
    {
      schema: {
        operationId: 'unlockPerson',
        tags,
        summary: 'Clear the login lock after failed attempts',
        params: PersonParamsSchema,
        response: { 200: PersonDetailSchema, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request) => unlockPerson(requestContext(request, services), request.params.id),
  );

  app.delete(
    '/:id/sessions',
    {
      schema: {
        operationId: 'endPersonSessions',
        tags,
        summary: 'Sign the person out of every browser session',
        params: PersonParamsSchema,
        response: { 200: EndSessionsResponseSchema, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request) => endPersonSessions(requestContext(request, services), request.params.id),
  );

  app.delete(
    '/:id',
    {
      schema: {
        operationId: 'removePerson',
        tags,
        summary: 'Remove the person (R4: 409 user_owns_projects lists the projects to transfer first; R5)',
        params: PersonParamsSchema,
        response: { 204: Type.Null(), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await removePerson(requestContext(request, services), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
