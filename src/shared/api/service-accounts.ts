import { type Static, Type } from 'typebox';
import { choiceList, serviceAccountRoleIds } from '../permissions.js';
import { literalUnion, OrganizationRoleSchema } from './common.js';
import { GroupRefSchema, ProjectRefSchema } from './people.js';

/**
 * Schemas of `/api/v1/service-accounts` (docs/product/service-accounts.md, docs/product/api.md#service-accounts).
 * Every object is strict: nothing unlisted goes in or out; the token's plaintext appears only in the answers of
 * create and regenerate, once.
 */

const strict = { additionalProperties: false } as const;

export const ServiceAccountRoleSchema = literalUnion(serviceAccountRoleIds, {
  description: `Instance role of a service account: ${choiceList(serviceAccountRoleIds)} (never owner)`,
});

/** The token lifetimes one may choose; null: never expires (Owners only). Absent: 90 days. */
export const tokenExpiryChoices = [30, 90, 365] as const;
export const defaultTokenExpiryDays = 90;

export const ExpiresInDaysSchema = Type.Union([Type.Literal(30), Type.Literal(90), Type.Literal(365), Type.Null()], {
  description: 'Days until the token expires: 30, 90 (default when absent) or 365; null: never (Owners only)',
});
export type ExpiresInDays = Static<typeof ExpiresInDaysSchema>;

export const ServiceAccountStatusSchema = Type.Union([Type.Literal('active'), Type.Literal('deactivated'), Type.Literal('removed')], {
  description: 'active; deactivated (its token is refused, everything else stays); removed (deleted, kept for the audit log)',
});
export type ServiceAccountStatus = Static<typeof ServiceAccountStatusSchema>;

export const ServiceAccountTokenSchema = Type.Object(
  {
    prefix: Type.String({ description: 'The first 8 characters (`rss_xxxx`): enough to recognise it, never to use it' }),
    createdAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Null: never expires' }),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Updated at most once a minute' }),
    lastUsedIp: Type.Union([Type.String(), Type.Null()]),
  },
  { ...strict, description: "The token's metadata; its plaintext is shown once, when made" },
);

export const ServiceAccountAbilitiesSchema = Type.Object(
  {
    edit: Type.Boolean({ description: 'The caller may change description, name and role (R2)' }),
    allowedRoles: Type.Array(ServiceAccountRoleSchema, { description: 'Roles the caller may set now (includes the current one)' }),
    regenerateToken: Type.Boolean(),
    neverExpiringToken: Type.Boolean({ description: 'The caller may choose a token that never expires (Owners only)' }),
    deactivate: Type.Boolean(),
    reactivate: Type.Boolean(),
    remove: Type.Boolean(),
    reason: Type.Union([Type.String(), Type.Null()], { description: 'Why the caller may not manage it, when they may not' }),
  },
  { ...strict, description: 'Decided by the server (R1–R3 and the service-account rules); the console never compares roles' },
);

export const ServiceAccountSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    type: Type.Literal('service_account'),
    name: Type.String({ description: 'A handle from the username namespace (docs/product/data.md#usernames)' }),
    description: Type.String(),
    role: ServiceAccountRoleSchema,
    effectiveRole: OrganizationRoleSchema,
    status: ServiceAccountStatusSchema,
    createdBy: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }, strict), Type.Null()], {
      description: 'Who created it (their name now); their removal changes nothing about the service account',
    }),
    createdAt: Type.String({ format: 'date-time' }),
    token: Type.Union([ServiceAccountTokenSchema, Type.Null()], { description: 'Null once removed' }),
    groups: Type.Array(GroupRefSchema),
    abilities: ServiceAccountAbilitiesSchema,
  },
  strict,
);
export type ServiceAccount = Static<typeof ServiceAccountSchema>;

export const ServiceAccountDetailSchema = Type.Object(
  {
    ...ServiceAccountSchema.properties,
    ownedProjects: Type.Array(ProjectRefSchema, { description: 'Projects to transfer before deletion (R4)' }),
  },
  strict,
);
export type ServiceAccountDetail = Static<typeof ServiceAccountDetailSchema>;

export const ServiceAccountParamsSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 100, description: 'Service account id' }) },
  strict,
);

export const ListServiceAccountsQuerySchema = Type.Object(
  {
    query: Type.Optional(Type.String({ maxLength: 100, description: 'Name prefix, case-insensitive' })),
    status: Type.Optional(
      Type.Union([Type.Literal('active'), Type.Literal('removed')], {
        description: 'active (default: active and deactivated accounts) or removed',
      }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 512, description: 'nextCursor of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  strict,
);
export type ListServiceAccountsQuery = Static<typeof ListServiceAccountsQuerySchema>;

export const ListServiceAccountsResponseSchema = Type.Object(
  { items: Type.Array(ServiceAccountSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) },
  strict,
);

export const CreateServiceAccountBodySchema = Type.Object(
  {
    name: Type.String({ maxLength: 100, description: 'Username rules (docs/product/data.md#usernames); taken → 409 name_taken' }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    role: ServiceAccountRoleSchema,
    expiresInDays: Type.Optional(ExpiresInDaysSchema),
  },
  strict,
);
export type CreateServiceAccountBody = Static<typeof CreateServiceAccountBodySchema>;

export const OneTimeTokenSchema = Type.String({
  pattern: '^rss_[0-9A-Za-z]{38}$',
  examples: ['rss_0123456789abcdefghijklmnopqrstuvwxyzAB'],
  description: 'The token: shown once, never again (only its SHA-256 digest is stored)',
});

export const CreateServiceAccountResponseSchema = Type.Object(
  { serviceAccount: ServiceAccountDetailSchema, token: OneTimeTokenSchema },
  strict,
);
export type CreateServiceAccountResponse = Static<typeof CreateServiceAccountResponseSchema>;

export const UpdateServiceAccountBodySchema = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 100 })),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    role: Type.Optional(ServiceAccountRoleSchema),
  },
  { ...strict, minProperties: 1 },
);
export type UpdateServiceAccountBody = Static<typeof UpdateServiceAccountBodySchema>;

export const RegenerateTokenBodySchema = Type.Object({ expiresInDays: Type.Optional(ExpiresInDaysSchema) }, strict);
export type RegenerateTokenBody = Static<typeof RegenerateTokenBodySchema>;

export const RegenerateTokenResponseSchema = Type.Object(
  {
    token: OneTimeTokenSchema,
    expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Null: never expires' }),
  },
  strict,
);
export type RegenerateTokenResponse = Static<typeof RegenerateTokenResponseSchema>;
