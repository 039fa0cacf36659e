import { type Static, Type } from 'typebox';
import { OrganizationRoleSchema, UserSchema } from './common.js';

/**
 * Schemas of `/api/v1/people` (docs/product/console.md#people, docs/product/api.md). Every object is strict: nothing
 * unlisted goes in or out.
 */

const strict = { additionalProperties: false } as const;

export const PersonParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100, description: 'User id' }) }, strict);

export const PersonStatusFilterSchema = Type.Union([Type.Literal('active'), Type.Literal('removed')], {
  description: 'Which accounts to list (default active)',
});

/**
 * A People search term needs this many characters to match inside usernames and emails; shorter terms match prefixes
 * only (docs/product/security-settings.md#bounded-work). The console reads it to say so.
 */
export const searchSubstringMinLength = 3;

/** `GET /people?type=`: people (default), service accounts, or both (docs/product/service-accounts.md). */
export const AccountTypeFilterSchema = Type.Union([Type.Literal('person'), Type.Literal('service_account'), Type.Literal('all')], {
  description: 'Which kind of account to list: person (default), service_account or all; items carry `type`',
});

/** `GET /people?mfa=`: accounts with or without two-factor authentication (docs/product/security-settings.md#two-factor-authentication). */
export const MfaStateFilterSchema = Type.Union([Type.Literal('enabled'), Type.Literal('disabled')], {
  description:
    'Only accounts with (enabled) or without (disabled) two-factor authentication: an authenticator app, security key or ' +
    'passkey; items carry `mfaEnabled`. Default: both',
});

export const PeopleFilterSchema = Type.Object(
  {
    query: Type.Optional(
      Type.String({
        maxLength: 254,
        description:
          'Matches username or email, case-insensitive: username prefix matches first, then email prefix matches, then ' +
          `matches inside the username or email. A term of fewer than ${searchSubstringMinLength} characters matches ` +
          'prefixes only; `%` and `_` match themselves. A page may hold fewer than `limit` people and ' +
          'still carry a `nextCursor`: a search reads a bounded number of rows per request and continues where it stopped.',
      }),
    ),
    role: Type.Optional(OrganizationRoleSchema),
    status: Type.Optional(PersonStatusFilterSchema),
    type: Type.Optional(AccountTypeFilterSchema),
    mfa: Type.Optional(MfaStateFilterSchema),
  },
  strict,
);
export type PeopleFilter = Static<typeof PeopleFilterSchema>;

export const ListPeopleQuerySchema = Type.Object(
  {
    ...PeopleFilterSchema.properties,
    cursor: Type.Optional(Type.String({ maxLength: 512, description: 'nextCursor of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  strict,
);
export type ListPeopleQuery = Static<typeof ListPeopleQuerySchema>;

/** `GET /people/lookup` (pickers; open to project Admins too): the first active people matching a username or email. */
export const LookupPeopleQuerySchema = Type.Object(
  {
    query: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
  },
  strict,
);

export const PersonMatchSchema = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    email: Type.Union([Type.String(), Type.Null()], { description: 'Null for callers without organization.people.view' }),
    type: Type.Union([Type.Literal('person'), Type.Literal('service_account')], { description: 'Service accounts are offered too' }),
  },
  strict,
);

export const LookupPeopleResponseSchema = Type.Object({ items: Type.Array(PersonMatchSchema) }, strict);
export type LookupPeopleResponse = Static<typeof LookupPeopleResponseSchema>;

export const GroupRefSchema = Type.Object({ id: Type.String(), name: Type.String() }, strict);
export type GroupRef = Static<typeof GroupRefSchema>;

export const PersonRowAbilitiesSchema = Type.Object(
  {
    edit: Type.Boolean({ description: 'The caller may change something about this person (show Edit)' }),
    remove: Type.Boolean({ description: 'The caller may remove this person (show ×)' }),
  },
  { ...strict, description: 'Decided by the server (R1–R3); the console never compares roles' },
);

export const PersonSchema = Type.Object(
  {
    ...UserSchema.properties,
    effectiveRole: OrganizationRoleSchema,
    groups: Type.Array(GroupRefSchema),
    abilities: PersonRowAbilitiesSchema,
    tokenExpiresAt: Type.Optional(
      Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
        description: 'Service accounts only: when their token expires (null: never; absent: no token). The console warns 14 days ahead',
      }),
    ),
  },
  strict,
);
export type Person = Static<typeof PersonSchema>;

export const ListPeopleResponseSchema = Type.Object(
  { items: Type.Array(PersonSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) },
  strict,
);
export type ListPeopleResponse = Static<typeof ListPeopleResponseSchema>;

export const PersonAbilitiesSchema = Type.Object(
  {
    changeRole: Type.Boolean(),
    allowedRoles: Type.Array(OrganizationRoleSchema, { description: 'Roles the caller may set now (includes the current one)' }),
    changeEmail: Type.Boolean(),
    resetPassword: Type.Boolean(),
    resetMfa: Type.Boolean({ description: 'May reset their two-factor authentication (also as part of a password reset)' }),
    unlock: Type.Boolean(),
    endSessions: Type.Boolean(),
    remove: Type.Boolean(),
    disabledReasons: Type.Object(
      {
        owner: Type.Optional(Type.String()),
        admin: Type.Optional(Type.String()),
        member: Type.Optional(Type.String()),
      },
      { ...strict, description: 'Why each role the caller may not set is disabled' },
    ),
  },
  strict,
);
export type PersonAbilities = Static<typeof PersonAbilitiesSchema>;

export const ProjectRefSchema = Type.Object({ id: Type.String(), name: Type.String() }, strict);
export type ProjectRef = Static<typeof ProjectRefSchema>;

export const PersonDetailSchema = Type.Object(
  {
    ...UserSchema.properties,
    effectiveRole: OrganizationRoleSchema,
    groups: Type.Array(GroupRefSchema),
    locked: Type.Boolean({ description: 'Login is locked after failed attempts (docs/product/security-settings.md#login-throttling)' }),
    ownedProjects: Type.Array(ProjectRefSchema, { description: 'Projects to transfer before removal (R4)' }),
    createdServiceAccounts: Type.Array(Type.Object({ id: Type.String(), name: Type.String() }, strict), {
      description:
        'Active service accounts this person created: listed when removing or demoting them, never blocking (their removal changes nothing about the service accounts)',
    }),
    abilities: PersonAbilitiesSchema,
  },
  strict,
);
export type PersonDetail = Static<typeof PersonDetailSchema>;

export const AccountRequestSchema = Type.Object(
  {
    email: Type.String({ maxLength: 320 }),
    username: Type.Optional(
      Type.String({ maxLength: 100, description: 'Inferred from the email when absent (docs/product/data.md#usernames)' }),
    ),
    role: Type.Optional(OrganizationRoleSchema),
  },
  strict,
);
export type AccountRequest = Static<typeof AccountRequestSchema>;

export const CreateAccountsBodySchema = Type.Object({ accounts: Type.Array(AccountRequestSchema, { minItems: 1, maxItems: 500 }) }, strict);
export type CreateAccountsBody = Static<typeof CreateAccountsBodySchema>;

export const AccountResultSchema = Type.Object(
  {
    email: Type.String(),
    status: Type.Union([Type.Literal('created'), Type.Literal('exists'), Type.Literal('failed')]),
    user: Type.Optional(UserSchema),
    temporaryPassword: Type.Optional(Type.String({ description: 'Shown once; only on created rows' })),
    error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() }, strict)),
  },
  strict,
);
export type AccountResult = Static<typeof AccountResultSchema>;

export const CreateAccountsResponseSchema = Type.Object({ results: Type.Array(AccountResultSchema) }, strict);
export type CreateAccountsResponse = Static<typeof CreateAccountsResponseSchema>;

export const ChangeRoleBodySchema = Type.Object({ role: OrganizationRoleSchema }, strict);

export const ChangeEmailBodySchema = Type.Object({ email: Type.String({ maxLength: 320 }) }, strict);

export const PasswordResetBodySchema = Type.Object(
  {
    resetToken: Type.Optional(Type.Boolean({ description: "Also revoke the person's API token" })),
    alsoResetMfa: Type.Optional(
      Type.Boolean({ description: 'Also reset two-factor authentication: remove every authenticator app, security key and passkey' }),
    ),
  },
  strict,
);
export type PasswordResetBody = Static<typeof PasswordResetBodySchema>;

export const PasswordResetResponseSchema = Type.Object(
  { temporaryPassword: Type.String({ description: 'Shown once; must be changed at first login' }) },
  strict,
);

export const EndSessionsResponseSchema = Type.Object({ sessionsEnded: Type.Integer({ minimum: 0 }) }, strict);
export type EndSessionsResponse = Static<typeof EndSessionsResponseSchema>;
