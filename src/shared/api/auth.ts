import { type Static, Type } from 'typebox';
import { UserSchema } from './common.js';
import { OptionalSecondFactorSchema, SecondFactorRequiredResponseSchema } from './mfa.js';

// Bounds are generous: the policy (docs/product/security-settings.md#passwords) answers with a clear message; the
// schema only stops abuse.
export const LoginBodySchema = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 320, description: 'Email or username' }),
    password: Type.String({ minLength: 1, maxLength: 4096 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBodySchema>;

export const SessionResponseSchema = Type.Object(
  {
    user: UserSchema,
    mustChangePassword: Type.Boolean(),
    csrfToken: Type.String({ description: 'Send back in X-CSRF-Token on cookie-authenticated writes' }),
  },
  { additionalProperties: false },
);
export type SessionResponse = Static<typeof SessionResponseSchema>;

export const ChangePasswordBodySchema = Type.Object(
  {
    currentPassword: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 4096,
        description: 'Required, except in the restricted session opened with a temporary password, which proved it at login',
      }),
    ),
    newPassword: Type.String({ minLength: 1, maxLength: 4096 }),
    secondFactor: OptionalSecondFactorSchema,
  },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBodySchema>;

/** What `POST /auth/login` answers: a session, or (2FA on) the methods to send to `POST /auth/second-factor`. */
export const LoginResponseSchema = Type.Union([SessionResponseSchema, SecondFactorRequiredResponseSchema], {
  description: 'A session (user, mustChangePassword, csrfToken), or secondFactorRequired: send the second factor next',
});
