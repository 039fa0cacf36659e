import { type Static, Type } from 'typebox';
import { literalUnion } from './common.js';
import { AssertionSchema } from './webauthn-assertion.js';

/**
 * Two-factor authentication (docs/product/security-settings.md#two-factor-authentication, docs/product/api.md): the
 * bodies and answers of `/me/mfa…`, `/auth/second-factor`, `/people/:id/mfa-reset` and `/settings/security`.
 */

const strict = { additionalProperties: false } as const;

/** How a person can give their second factor. `webauthn` is offered once a security key or passkey is registered. */
export const secondFactorMethods = ['totp', 'recovery_code', 'webauthn'] as const;
export type SecondFactorMethod = (typeof secondFactorMethods)[number];
const SecondFactorMethodSchema = literalUnion(secondFactorMethods, {
  description: 'totp: a code from an authenticator app; recovery_code: one of the ten recovery codes; webauthn: a security key or passkey',
});

/**
 * A WebAuthn assertion as the browser produced it (`@simplewebauthn/browser`'s `startAuthentication()` result), made
 * with the options of `POST /auth/second-factor/options` (login) or `POST /me/mfa/webauthn/confirmation-options`
 * (a change). Its shape is owned by the WebAuthn schemas.
 */
export const WebAuthnAssertionSchema = AssertionSchema;

/** A second factor: a 6-digit TOTP code or a recovery code, or a WebAuthn assertion. */
export const SecondFactorSchema = Type.Union(
  [
    Type.Object({ code: Type.String({ minLength: 1, maxLength: 64, description: 'A TOTP code (6 digits) or a recovery code' }) }, strict),
    Type.Object({ webauthn: WebAuthnAssertionSchema }, strict),
  ],
  { description: 'Required once two-factor authentication is on (403 mfa_required without it, 400 invalid_second_factor when wrong)' },
);
export type SecondFactor = Static<typeof SecondFactorSchema>;

/** Optional in every body that takes `currentPassword`; required once 2FA is on. */
export const OptionalSecondFactorSchema = Type.Optional(SecondFactorSchema);

const CurrentPasswordSchema = Type.Optional(Type.String({ maxLength: 4096, description: 'Your current password' }));

export const SecondFactorRequiredResponseSchema = Type.Object(
  {
    secondFactorRequired: Type.Literal(true),
    methods: Type.Array(SecondFactorMethodSchema, { description: 'What this account can use; send one to POST /auth/second-factor' }),
  },
  { ...strict, description: 'The password was right and the account has 2FA: a pending-login cookie (5 minutes) was set' },
);
export type SecondFactorRequiredResponse = Static<typeof SecondFactorRequiredResponseSchema>;

export const MfaStatusResponseSchema = Type.Object(
  {
    enabled: Type.Boolean({ description: 'At least one second factor is set up' }),
    methods: Type.Array(SecondFactorMethodSchema),
    totp: Type.Union([
      Type.Object(
        {
          confirmed: Type.Boolean({ description: 'False while a setup waits for its first code' }),
          createdAt: Type.String({ format: 'date-time' }),
        },
        strict,
      ),
      Type.Null(),
    ]),
    recoveryCodesRemaining: Type.Integer({ minimum: 0 }),
    policy: Type.Object(
      {
        required: Type.Boolean({ description: 'The security policy requires 2FA of you' }),
        setupRequired: Type.Boolean({ description: 'Required, not set up, and the grace period is over: only setup is open' }),
        deadline: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'End of your grace period' }),
      },
      strict,
    ),
  },
  strict,
);
export type MfaStatusResponse = Static<typeof MfaStatusResponseSchema>;

export const StartTotpBodySchema = Type.Object(
  { currentPassword: CurrentPasswordSchema, secondFactor: OptionalSecondFactorSchema },
  strict,
);
export type StartTotpBody = Static<typeof StartTotpBodySchema>;

export const StartTotpResponseSchema = Type.Object(
  {
    secret: Type.String({ description: 'The seed in base32, for typing into an app. Shown once; confirm with a code' }),
    otpauthUrl: Type.String({ description: 'otpauth://totp/… for the QR code (drawn by the console)' }),
  },
  strict,
);
export type StartTotpResponse = Static<typeof StartTotpResponseSchema>;

export const ConfirmTotpBodySchema = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) }, strict);

export const RecoveryCodesResponseSchema = Type.Object(
  {
    recoveryCodes: Type.Array(Type.String(), {
      description: 'Shown once. Empty when 2FA was already on with another factor: the existing codes stay valid',
    }),
  },
  strict,
);
export type RecoveryCodesResponse = Static<typeof RecoveryCodesResponseSchema>;

/** `currentPassword` plus, with 2FA on, `secondFactor`: the body of every 2FA change. */
export const MfaChangeBodySchema = Type.Object(
  { currentPassword: CurrentPasswordSchema, secondFactor: OptionalSecondFactorSchema },
  strict,
);
export type MfaChangeBody = Static<typeof MfaChangeBodySchema>;

export const MfaResetResponseSchema = Type.Object(
  {
    factorsRemoved: Type.Integer({ minimum: 0, description: 'Authenticator apps, security keys and passkeys removed' }),
    sessionsEnded: Type.Integer({ minimum: 0 }),
  },
  strict,
);
export type MfaResetResponse = Static<typeof MfaResetResponseSchema>;

export const mfaPolicies = ['none', 'admins', 'everyone'] as const;
const MfaPolicySchema = literalUnion(mfaPolicies, {
  description: 'Who must use 2FA: nobody, Owners and Admins (by effective role), or everyone',
});

/** The longest grace period Settings → Security accepts, in days (the console's field reads it too). */
export const mfaGraceDaysMax = 90;

const MfaGraceDaysSchema = Type.Integer({ minimum: 0, maximum: mfaGraceDaysMax, description: 'Days to set up 2FA (default 7)' });
const RequireSsoSchema = Type.Boolean({
  description: 'Password and passkey logins are for Owners only; everyone else logs in with an identity provider (docs/sso.md)',
});

export const SecuritySettingsBodySchema = Type.Object(
  { mfaPolicy: MfaPolicySchema, mfaGraceDays: MfaGraceDaysSchema, requireSso: Type.Optional(RequireSsoSchema) },
  strict,
);
export type SecuritySettingsBody = Static<typeof SecuritySettingsBodySchema>;

/** `PATCH /settings/security`: any of the settings; the others stay. */
export const SecuritySettingsPatchSchema = Type.Object(
  {
    mfaPolicy: Type.Optional(MfaPolicySchema),
    mfaGraceDays: Type.Optional(MfaGraceDaysSchema),
    requireSso: Type.Optional(RequireSsoSchema),
  },
  { ...strict, minProperties: 1 },
);
export type SecuritySettingsPatch = Static<typeof SecuritySettingsPatchSchema>;

export const SecuritySettingsResponseSchema = Type.Object(
  {
    mfaPolicy: MfaPolicySchema,
    mfaGraceDays: Type.Integer({ minimum: 0 }),
    mfaPolicyChangedAt: Type.String({ format: 'date-time', description: 'A grace period starts here at the earliest' }),
    requireSso: RequireSsoSchema,
  },
  strict,
);
export type SecuritySettingsResponse = Static<typeof SecuritySettingsResponseSchema>;
