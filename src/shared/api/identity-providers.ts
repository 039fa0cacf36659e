import { type Static, Type } from 'typebox';
import { GroupRefSchema } from './people.js';

/**
 * Schemas of `/api/v1/identity-providers` (SPEC §12.2, §12.4, docs/sso.md): the company identity providers people log
 * in with. Every object is strict: nothing unlisted goes in or out. The client secret goes in (create, and PATCH to
 * replace it) and never comes out: answers say only `hasClientSecret: true`.
 */

const strict = { additionalProperties: false } as const;

export const maxIdentityProviderLabelLength = 60;
export const maxGroupMappings = 200;
export const defaultIdentityProviderScopes = ['openid', 'profile', 'email'] as const;
export const defaultUsernameClaim = 'preferred_username';
export const defaultEmailClaim = 'email';
export const defaultGroupsClaim = 'groups';

const LabelSchema = Type.String({ maxLength: 200, description: 'The button label, "Log in with <label>": 1 to 60 characters (trimmed)' });

const IssuerSchema = Type.String({
  minLength: 1,
  maxLength: 2000,
  examples: ['https://login.example.com/realms/company'],
  description:
    'The issuer; its discovery document is <issuer>/.well-known/openid-configuration, fetched without following redirects. https, or http on localhost, 127.0.0.1 or [::1] only (tests)',
});

const ClientIdSchema = Type.String({ minLength: 1, maxLength: 500, description: 'The client id Roster has at the provider' });

const ClientSecretSchema = Type.String({
  minLength: 1,
  maxLength: 2000,
  description: 'The client secret Roster has at the provider: encrypted at rest, never returned',
});

const ScopesSchema = Type.Array(Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$' }), {
  minItems: 1,
  maxItems: 50,
  description: 'Scopes to request; must include openid (default openid, profile, email)',
});

const ClaimSchema = (description: string) => Type.String({ minLength: 1, maxLength: 200, pattern: '^\\S+$', description });

const GroupMappingInputSchema = Type.Object(
  {
    value: Type.String({ minLength: 1, maxLength: 500, description: "A value of the provider's groups claim" }),
    groupId: Type.String({ minLength: 1, maxLength: 100, description: 'The Roster group it maps onto' }),
  },
  strict,
);

const GroupMappingsInputSchema = Type.Array(GroupMappingInputSchema, {
  maxItems: maxGroupMappings,
  description:
    "Provider group value → Roster group. A mapped group's memberships follow the provider at each login. Only an Owner may map onto a group with an instance role or project access",
});

export const GroupMappingSchema = Type.Object({ value: Type.String(), group: GroupRefSchema }, strict);

export const IdentityProviderSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    label: Type.String(),
    issuer: Type.String(),
    clientId: Type.String(),
    scopes: Type.Array(Type.String()),
    usernameClaim: Type.String(),
    emailClaim: Type.String(),
    groupsClaim: Type.String(),
    createUnknown: Type.Boolean({ description: 'Unknown people are created at their first login (as Members); otherwise refused' }),
    linkVerifiedEmail: Type.Boolean({
      description: 'An existing Member without 2FA is linked at login when the provider asserts a verified email that matches',
    }),
    enforces2fa: Type.Boolean({ description: "The provider's own second factor (its amr claim) counts for Roster's 2FA policy" }),
    groupMappings: Type.Array(GroupMappingSchema),
    redirectUri: Type.String({ description: 'What to register at the provider: <ROSTER_PUBLIC_URL>/auth/sso/<id>/callback' }),
    hasClientSecret: Type.Literal(true, { description: 'A client secret is stored (encrypted); it is never returned' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  strict,
);
export type IdentityProvider = Static<typeof IdentityProviderSchema>;

export const IdentityProviderParamsSchema = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 100, description: 'Identity provider id' }) },
  strict,
);

export const ListIdentityProvidersQuerySchema = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 512, description: 'nextCursor of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  strict,
);
export type ListIdentityProvidersQuery = Static<typeof ListIdentityProvidersQuerySchema>;

export const ListIdentityProvidersResponseSchema = Type.Object(
  { items: Type.Array(IdentityProviderSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) },
  strict,
);
export type ListIdentityProvidersResponse = Static<typeof ListIdentityProvidersResponseSchema>;

export const CreateIdentityProviderBodySchema = Type.Object(
  {
    label: LabelSchema,
    issuer: IssuerSchema,
    clientId: ClientIdSchema,
    clientSecret: ClientSecretSchema,
    scopes: Type.Optional(ScopesSchema),
    usernameClaim: Type.Optional(ClaimSchema('Claim with the username (default preferred_username)')),
    emailClaim: Type.Optional(ClaimSchema('Claim with the email (default email)')),
    groupsClaim: Type.Optional(ClaimSchema('Claim with the group values (default groups)')),
    createUnknown: Type.Boolean(),
    linkVerifiedEmail: Type.Boolean(),
    enforces2fa: Type.Optional(Type.Boolean({ description: 'Default false' })),
    groupMappings: Type.Optional(GroupMappingsInputSchema),
  },
  strict,
);
export type CreateIdentityProviderBody = Static<typeof CreateIdentityProviderBodySchema>;

export const UpdateIdentityProviderBodySchema = Type.Object(
  {
    label: Type.Optional(LabelSchema),
    issuer: Type.Optional(IssuerSchema),
    clientId: Type.Optional(ClientIdSchema),
    clientSecret: Type.Optional(ClientSecretSchema),
    scopes: Type.Optional(ScopesSchema),
    usernameClaim: Type.Optional(ClaimSchema('Claim with the username')),
    emailClaim: Type.Optional(ClaimSchema('Claim with the email')),
    groupsClaim: Type.Optional(ClaimSchema('Claim with the group values')),
    createUnknown: Type.Optional(Type.Boolean()),
    linkVerifiedEmail: Type.Optional(Type.Boolean()),
    enforces2fa: Type.Optional(Type.Boolean()),
    groupMappings: Type.Optional(GroupMappingsInputSchema),
  },
  {
    ...strict,
    minProperties: 1,
    description: 'The fields to change; clientSecret replaces the stored secret; groupMappings replaces all mappings',
  },
);
export type UpdateIdentityProviderBody = Static<typeof UpdateIdentityProviderBodySchema>;

export const CreateIdentityProviderResponseSchema = Type.Object({ identityProvider: IdentityProviderSchema }, strict);
export type CreateIdentityProviderResponse = Static<typeof CreateIdentityProviderResponseSchema>;

export const TestIdentityProviderBodySchema = Type.Object({ issuer: IssuerSchema }, strict);

const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableStrings = Type.Union([Type.Array(Type.String()), Type.Null()]);

export const TestConnectionResponseSchema = Type.Object(
  {
    ok: Type.Boolean({ description: 'The discovery document was fetched and is valid for this issuer' }),
    error: Type.Optional(
      Type.String({
        description:
          'When ok is false: what went wrong (connection refused, HTTP 404, redirect refused, not JSON, issuer mismatch, timeout …)',
      }),
    ),
    issuer: Type.Optional(Type.String()),
    authorizationEndpoint: Type.Optional(Type.String()),
    tokenEndpoint: Type.Optional(NullableString),
    userinfoEndpoint: Type.Optional(NullableString),
    jwksUri: Type.Optional(NullableString),
    scopesSupported: Type.Optional(NullableStrings),
    claimsSupported: Type.Optional(NullableStrings),
  },
  { ...strict, description: 'ok true with the discovery result, or ok false with the exact error (200 either way)' },
);
export type TestConnectionResponse = Static<typeof TestConnectionResponseSchema>;
