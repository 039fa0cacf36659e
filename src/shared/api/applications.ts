import { type Static, Type } from 'typebox';
import { GroupRefSchema } from './people.js';

/**
 * Schemas of `/api/v1/applications` and `/api/v1/me/applications` (docs/product/api.md#applications, SPEC §12.1): the
 * relying parties of Roster's OpenID Connect provider and the consents people gave them. Every object is strict:
 * nothing unlisted goes in or out; a client secret appears only in the answers of create and rotate, once, and its
 * digest never.
 */

const strict = { additionalProperties: false } as const;

/** How many redirect URIs an application may register, and post-logout redirect URIs. */
export const maxRedirectUris = 10;
export const maxApplicationNameLength = 100;

export const ApplicationTypeSchema = Type.Union([Type.Literal('confidential'), Type.Literal('public')], {
  description:
    'confidential: a server-side application holding a client secret (shown once, stored as a digest); public: a browser, native or CLI application without one (PKCE only)',
});

const RedirectUriSchema = Type.String({
  minLength: 1,
  maxLength: 2000,
  description: 'An exact absolute URI without fragment: https, or http on localhost, 127.0.0.1 or [::1] (any port, RFC 8252)',
});

const RedirectUrisSchema = Type.Array(RedirectUriSchema, {
  maxItems: maxRedirectUris,
  description: 'Exact redirect URIs, compared as strings (1 to 10)',
});

const PostLogoutRedirectUrisSchema = Type.Array(RedirectUriSchema, {
  maxItems: maxRedirectUris,
  description: 'Where RP-initiated logout may send the browser back to (0 to 10), same rules as redirect URIs',
});

const AllowedGroupIdsSchema = Type.Union([Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 }), Type.Null()], {
  description:
    'Only members of these groups may sign in; null or an empty list: everyone. Once restricted, an application stays restricted when its groups are deleted (nobody may sign in) until a manager opens it again',
});

export const ApplicationAbilitiesSchema = Type.Object(
  {
    edit: Type.Boolean({ description: 'The caller may change it (a trusted application: Owners only)' }),
    rotateSecret: Type.Boolean({ description: 'The caller may rotate its client secret (confidential only)' }),
    remove: Type.Boolean(),
    trust: Type.Boolean({ description: 'The caller may set firstParty, authorizeApi and rosterApi (Owners only)' }),
    reason: Type.Union([Type.String(), Type.Null()], { description: 'Why the caller may not change it, when they may not' }),
  },
  { ...strict, description: 'Decided by the server (organization.applications.manage and .trust); the console never compares roles' },
);

export const ApplicationSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    clientId: Type.String({
      pattern: '^app_[0-9A-Za-z]{24}$',
      examples: ['app_0123456789abcdefghijklmn'],
      description: 'The OAuth client_id (`app_` + 24 base62 characters)',
    }),
    name: Type.String(),
    type: ApplicationTypeSchema,
    redirectUris: Type.Array(Type.String()),
    postLogoutRedirectUris: Type.Array(Type.String()),
    firstParty: Type.Boolean({ description: 'No consent screen (Owners only)' }),
    authorizeApi: Type.Boolean({
      description: 'May ask POST /authorize about any person with a client-credentials token (confidential only; Owners only)',
    }),
    rosterApi: Type.Boolean({ description: "May request the roster:api scope, whose tokens Roster's own API accepts (Owners only)" }),
    allowedGroups: Type.Union([Type.Array(GroupRefSchema), Type.Null()], {
      description: 'Who may sign in: null for everyone; otherwise members of these groups (an empty list: nobody, its groups were deleted)',
    }),
    secretRotatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'When the secret was last rotated; null for a public application or one never rotated',
    }),
    previousSecretExpiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'Until when the secret replaced by the last rotation still works; null when none does',
    }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    createdBy: Type.Union([Type.Object({ id: Type.String(), username: Type.String() }, strict), Type.Null()], {
      description: 'Who registered it (their username now); null when unknown',
    }),
    abilities: ApplicationAbilitiesSchema,
  },
  strict,
);
export type Application = Static<typeof ApplicationSchema>;

export const ApplicationParamsSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 100, description: 'Application id' }) },
  strict,
);

export const ListApplicationsQuerySchema = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 512, description: 'nextCursor of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  strict,
);
export type ListApplicationsQuery = Static<typeof ListApplicationsQuerySchema>;

export const ListApplicationsResponseSchema = Type.Object(
  { items: Type.Array(ApplicationSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) },
  strict,
);
export type ListApplicationsResponse = Static<typeof ListApplicationsResponseSchema>;

export const CreateApplicationBodySchema = Type.Object(
  {
    name: Type.String({ maxLength: 200, description: '1 to 100 characters (trimmed)' }),
    type: ApplicationTypeSchema,
    redirectUris: RedirectUrisSchema,
    postLogoutRedirectUris: Type.Optional(PostLogoutRedirectUrisSchema),
    firstParty: Type.Optional(Type.Boolean({ description: 'Default false; true needs organization.applications.trust' })),
    allowedGroupIds: Type.Optional(AllowedGroupIdsSchema),
    authorizeApi: Type.Optional(Type.Boolean({ description: 'Default false; confidential only; needs organization.applications.trust' })),
    rosterApi: Type.Optional(Type.Boolean({ description: 'Default false; needs organization.applications.trust' })),
  },
  strict,
);
export type CreateApplicationBody = Static<typeof CreateApplicationBodySchema>;

export const UpdateApplicationBodySchema = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    redirectUris: Type.Optional(RedirectUrisSchema),
    postLogoutRedirectUris: Type.Optional(PostLogoutRedirectUrisSchema),
    firstParty: Type.Optional(Type.Boolean()),
    allowedGroupIds: Type.Optional(AllowedGroupIdsSchema),
    authorizeApi: Type.Optional(Type.Boolean()),
    rosterApi: Type.Optional(Type.Boolean()),
  },
  { ...strict, minProperties: 1, description: 'The fields to change; the type cannot change (register a new application)' },
);
export type UpdateApplicationBody = Static<typeof UpdateApplicationBodySchema>;

export const ClientSecretSchema = Type.String({
  pattern: '^rcs_[0-9A-Za-z]{40}$',
  examples: ['rcs_0123456789abcdefghijklmnopqrstuvwxyzABCD'],
  description: 'The client secret: shown once, never again (only its SHA-256 digest is stored)',
});

export const CreateApplicationResponseSchema = Type.Object(
  { application: ApplicationSchema, clientSecret: Type.Optional(ClientSecretSchema) },
  { ...strict, description: 'clientSecret is present for a confidential application only' },
);
export type CreateApplicationResponse = Static<typeof CreateApplicationResponseSchema>;

export const RotateSecretResponseSchema = Type.Object({ application: ApplicationSchema, clientSecret: ClientSecretSchema }, strict);
export type RotateSecretResponse = Static<typeof RotateSecretResponseSchema>;

export const ConsentSchema = Type.Object(
  {
    application: Type.Object({ id: Type.String(), name: Type.String(), clientId: Type.String() }, strict),
    scopes: Type.Array(Type.String(), { description: 'The scopes consented to' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  strict,
);

export const ListConsentsResponseSchema = Type.Object({ items: Type.Array(ConsentSchema) }, strict);
export type ListConsentsResponse = Static<typeof ListConsentsResponseSchema>;
