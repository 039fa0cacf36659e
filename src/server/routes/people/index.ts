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
/** `?project=` of a permissions question, before validation; null when there is none (or it is not one string). */
function projectOfPermissionsQuery(query: unknown): string | null {
  const project = typeof query === 'object' && query !== null ? (query as { project?: unknown }).project : undefined;
  return typeof project === 'string' && project !== '' ? project : null;
}

export const peopleRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['people'];

  app.get(
    '/',
    {
      schema: {
        operationId: 'listPeople',
        tags,
        summary: 'People, keyset-paged by username; search matches username or email (prefix matches first)',
        description:
          "Needs `organization.people.view`. Filters: `query` (username prefixes first, then email prefixes, then substrings from three characters), `role`, `status` (`active` by default, or `removed`), `type` (`person` by default, `service_account`, `all`) and `mfa`. Keyset pages `{ items, nextCursor }` (`limit` 1–500, default 50); a page may hold fewer than `limit` people and still have a `nextCursor`. Each item carries its effective role, groups and the caller's `abilities`.",
        querystring: ListPeopleQuerySchema,
        response: { 200: ListPeopleResponseSchema, ...problemResponses(400, 401, 403, 429) },
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
        description:
          "Needs `organization.people.invite`; a row's `role` must pass R3 (only Owners create Owners). `{ accounts: [{ email, username?, role? }] }`: 1–500 rows in a body of at most 1 MiB (413 beyond). Each row succeeds or fails on its own: `{ results }` in input order, with `status` `created` (and a `temporaryPassword`, shown only here), `exists` or `failed` (with `error: { code, message }`).",
        body: CreateAccountsBodySchema,
        response: { 200: CreateAccountsResponseSchema, ...problemResponses(400, 401, 403, 413, 429) },
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
        description:
          'For pickers: needs `organization.people.view`, or being able to give access to some project (a project Admin). `query` matches as on `GET /people`; answers at most `limit` (1–50, default 20) active people and service accounts as `{ id, username, email, type }`, where `email` is null without `organization.people.view`.',
        querystring: LookupPeopleQuerySchema,
        response: { 200: LookupPeopleResponseSchema, ...problemResponses(400, 401, 403, 429) },
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
        description:
          'Needs `organization.people.view`. Streams every person matching the filters of `GET /people` as a CSV download: username, email, role, groups, status, created, last seen. Cells that a spreadsheet would run as formulas are neutralised.',
        querystring: PeopleFilterSchema,
        produces: ['text/csv'],
        response: {
          200: Type.String({
            description: 'CSV with a header row, streamed',
            examples: [
              'username,email,role,groups,status,created,last seen\nada,ada@example.com,member,Payroll,active,2026-12-01T09:30:00.000Z,\n',
            ],
          }),
          ...problemResponses(400, 401, 403, 429),
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
        description:
          'Needs `organization.people.view`. `id` is an account id, or the username of an active account (404 otherwise). Answers the person with groups, lock state, owned projects and what the caller may do to them, with the reason for each role the caller may not set.',
        params: PersonParamsSchema,
        response: { 200: PersonDetailSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => getPerson(requestContext(request, services), request.params.id),
  );

  app.get(
    '/:id/permissions',
    {
      // An API token is read with the project in one statement (docs/decisions/0027); used when the person is the caller.
      config: { tokenWithProject: ({ query }) => projectOfPermissionsQuery(query) },
      schema: {
        operationId: 'listPersonPermissions',
        tags,
        summary: 'Their effective permissions, each with the paths that grant it or why it is refused',
        description:
          'About yourself always; about someone else with `organization.people.view`. Every instance permission, and with `?project=` every permission on that project, each with `allowed` and the paths that grant it or the reason it is refused.',
        params: PersonParamsSchema,
        querystring: PersonPermissionsQuerySchema,
        response: { 200: PersonPermissionsSchema, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) =>
      listEffectivePermissions(requestContext(request, services), request.params.id, request.query.project, request.tokenProject),
  );

  app.put(
    '/:id/role',
    {
      schema: {
        operationId: 'changePersonRole',
        tags,
        summary: 'Change the instance role (R1–R3)',
        description:
          'Needs `organization.people.manage`, R2 (only people of a lower effective role; only Owners act on Owners) and R3 (only a role whose permissions you hold). `{ role }`; answers the person. 409 `last_owner` when no active Owner would be left (R1); setting the role they have changes nothing.',
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
        description:
          'Needs `organization.people.manage` and R2. `{ email }`: 400 `invalid_email`, 409 `email_taken` when another active account has it, 409 `conflict` for a removed account. Their sessions stay; answers the person.',
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
        description:
          'Needs `organization.people.manage` and R2. Answers `{ temporaryPassword }`, shown only here (`no-store`): the person must choose a new password at their next login. Ends their sessions and clears their login lock; `resetToken: true` also revokes their API token and `alsoResetMfa: true` also removes every second factor. 429 `rate_limited` when the password-hashing queue is full.',
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
        description:
          "Needs `organization.people.manage` and R2 (Admins reset Members only). Removes every second factor (authenticator app, recovery codes, security keys and passkeys), ends the person's sessions and pending logins, and restarts their grace period under the security policy.",
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
        description:
          "Needs `organization.people.manage` and R2. Clears the account's failed-login count and lock (a lock also runs out on its own) and answers the person; 409 `conflict` for a removed account.",
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
        description:
          'Needs `organization.people.manage` and R2. Ends every browser session of the person on every node (their API token keeps working) and answers `{ sessionsEnded }`; 409 `conflict` for a removed account.',
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
        description:
          'Needs `organization.people.manage` and R2; an Owner may remove their own account while another Owner exists. In one transaction it ends their sessions, revokes their token, deletes their password, grants and memberships, and marks them `removed` (R5); their username and email are free at once. 409 `user_owns_projects` with `projects: [{ id, name }]` to transfer first (R4), 409 `last_owner` (R1). 204.',
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
