import { type Static, Type } from 'typebox';
import { OptionalSecondFactorSchema } from './mfa.js';

/**
 * Logging in with the company's identity provider (SPEC §12.2, docs/sso.md): the login page's providers and the
 * person's own links (`/me/identities`).
 */

const strict = { additionalProperties: false } as const;

export const LoginMethodProviderSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    label: Type.String({ description: 'The button: **Log in with <label>**' }),
    startUrl: Type.String({ description: 'Where the button goes (`/auth/sso/<id>/start`; add `?returnTo=<console path>`)' }),
  },
  strict,
);

export const passwordLoginChoices = ['everyone', 'owners'] as const;

export const OwnIdentitySchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    identityProviderId: Type.String({ format: 'uuid' }),
    label: Type.String({ description: "The provider's label" }),
    email: Type.Union([Type.String(), Type.Null()], { description: 'The email the provider asserted at the last login' }),
    createdAt: Type.String({ format: 'date-time' }),
    lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  strict,
);

export const OwnIdentitiesResponseSchema = Type.Object({ items: Type.Array(OwnIdentitySchema), nextCursor: Type.Null() }, strict);
export type OwnIdentitiesResponse = Static<typeof OwnIdentitiesResponseSchema>;

export const OwnIdentityParamsSchema = Type.Object({ id: Type.String({ format: 'uuid' }) }, strict);

export const LinkIdentityBodySchema = Type.Object(
  {
    identityProviderId: Type.String({ format: 'uuid' }),
    currentPassword: Type.Optional(Type.String({ maxLength: 4096, description: 'Your current password' })),
    secondFactor: OptionalSecondFactorSchema,
  },
  strict,
);
export type LinkIdentityBody = Static<typeof LinkIdentityBodySchema>;

export const LinkIdentityResponseSchema = Type.Object(
  { redirectUrl: Type.String({ description: "The provider's authorization URL: send the browser there" }) },
  strict,
);

/** `POST /me/reauthenticate` (docs/sso.md#confirming-its-you-without-a-password). */
export const ReauthenticateBodySchema = Type.Object(
  {
    identityProviderId: Type.String({ format: 'uuid', description: 'A provider you have a linked account at' }),
    returnTo: Type.Optional(
      Type.String({ maxLength: 2000, description: 'A console path to come back to (default `/profile`); anything else is `/`' }),
    ),
  },
  strict,
);
export type ReauthenticateBody = Static<typeof ReauthenticateBodySchema>;
