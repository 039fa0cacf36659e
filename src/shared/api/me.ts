import { type Static, Type } from 'typebox';
import { OrganizationRoleSchema, UserSchema } from './common.js';
import { OptionalSecondFactorSchema } from './mfa.js';

export const AbilitiesSchema = Type.Object(
  {
    viewPeople: Type.Boolean(),
    managePeople: Type.Boolean(),
    viewProjects: Type.Boolean(),
    createProjects: Type.Boolean(),
    viewGroups: Type.Boolean(),
    manageGroups: Type.Boolean(),
    viewAuditLog: Type.Boolean(),
    viewRoles: Type.Boolean(),
    viewServiceAccounts: Type.Boolean(),
    manageServiceAccounts: Type.Boolean(),
    createAdminServiceAccounts: Type.Boolean({ description: 'May give a service account the Admin role (Owners only)' }),
    createNeverExpiringServiceAccountTokens: Type.Boolean({
      description: 'May give a service account a token that never expires (Owners only)',
    }),
    manageSecuritySettings: Type.Boolean({ description: 'May see and change Settings → Security (the two-factor policy)' }),
    viewApplications: Type.Boolean({ description: 'May see Settings → Applications (OpenID Connect clients)' }),
    manageApplications: Type.Boolean({ description: 'May register, change and remove third-party sign-in applications' }),
    trustApplications: Type.Boolean({
      description: 'May make applications first-party, give them authorizeApi or roster:api, and change trusted ones (Owners only)',
    }),
    manageIdentityProviders: Type.Boolean({
      description: 'May see and change Settings → Identity providers (single sign-on; Owners only)',
    }),
  },
  { additionalProperties: false, description: 'What the console may offer; decided by the server' },
);
export type Abilities = Static<typeof AbilitiesSchema>;

export const TokenMetadataSchema = Type.Object(
  {
    prefix: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { additionalProperties: false },
);

export const MeResponseSchema = Type.Object(
  {
    user: UserSchema,
    effectiveRole: OrganizationRoleSchema,
    permissions: Type.Array(Type.String()),
    abilities: AbilitiesSchema,
    token: Type.Union([TokenMetadataSchema, Type.Null()]),
    csrfToken: Type.Union([Type.String(), Type.Null()], { description: 'Null when authenticated with an API token' }),
    passwordMinLength: Type.Integer({ description: "The password policy's minimum length, for forms that set a password" }),
    hasPassword: Type.Boolean({
      description: 'False for a person created by SSO: changes that ask `currentPassword` take a fresh provider login instead',
    }),
    reauthenticatedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: "Until when this session's fresh provider login (POST /me/reauthenticate) stands in for the password; null when none",
    }),
  },
  { additionalProperties: false },
);
export type MeResponse = Static<typeof MeResponseSchema>;

// ---- Profile settings (docs/product/console.md#profile-settings, docs/product/api.md `/me…`). Every object is strict:
// nothing unlisted goes in or out. ----

const strict = { additionalProperties: false } as const;

/**
 * The current password, required in the body of every sensitive self-service change
 * (docs/product/security-settings.md#api-tokens), whether the caller uses a session or a token. Optional in the schema
 * on purpose: a missing password answers 403 `invalid_current_password`, exactly like a wrong one, instead of a 400
 * that would tell scripts something different.
 */
const CurrentPasswordSchema = Type.Optional(Type.String({ maxLength: 4096, description: 'Your current password' }));

export const UpdateMeBodySchema = Type.Object(
  {
    username: Type.String({ maxLength: 100, description: 'New screen name (docs/product/data.md#usernames); the old one is free at once' }),
  },
  strict,
);

export const ChangeOwnEmailBodySchema = Type.Object(
  { email: Type.String({ maxLength: 320 }), currentPassword: CurrentPasswordSchema, secondFactor: OptionalSecondFactorSchema },
  strict,
);
export type ChangeOwnEmailBody = Static<typeof ChangeOwnEmailBodySchema>;

export const CurrentPasswordBodySchema = Type.Object(
  { currentPassword: CurrentPasswordSchema, secondFactor: OptionalSecondFactorSchema },
  strict,
);

export const ResetTokenResponseSchema = Type.Object(
  {
    token: Type.String({
      pattern: '^rst_[0-9A-Za-z]{38}$',
      examples: ['rst_0123456789abcdefghijklmnopqrstuvwxyzAB'],
      description: 'The new personal API token. Shown once: store it now.',
    }),
    prefix: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  strict,
);
export type ResetTokenResponse = Static<typeof ResetTokenResponseSchema>;

export const OwnSessionSchema = Type.Object(
  {
    id: Type.String({ description: 'Public id of the session (not its secret): the first 16 hex digits of its stored digest' }),
    createdAt: Type.String({ format: 'date-time' }),
    lastSeenAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.String({ format: 'date-time' }),
    ip: Type.Union([Type.String(), Type.Null()]),
    userAgent: Type.Union([Type.String(), Type.Null()]),
    restricted: Type.Boolean({ description: 'A temporary-password session that may only set a new password' }),
    current: Type.Boolean({ description: 'The session this request came with' }),
  },
  strict,
);
export type OwnSession = Static<typeof OwnSessionSchema>;

export const OwnSessionsResponseSchema = Type.Object({ items: Type.Array(OwnSessionSchema) }, strict);

export const OwnSessionParamsSchema = Type.Object(
  { id: Type.String({ pattern: '^[0-9a-f]{16}$', examples: ['5d41402abc4b2a76'], description: 'Public session id' }) },
  strict,
);

export const EndOwnSessionsResponseSchema = Type.Object({ sessionsEnded: Type.Integer({ minimum: 0 }) }, strict);
