import { type Static, Type } from 'typebox';
import { literalUnion } from './common.js';
import { MfaChangeBodySchema, OptionalSecondFactorSchema } from './mfa.js';
import { LoginMethodProviderSchema, passwordLoginChoices } from './sso.js';
import { AssertionSchema, base64url, ClientExtensionResultsSchema, strict, Transports } from './webauthn-assertion.js';

export type { Assertion } from './webauthn-assertion.js';

// WebAuthn bodies (docs/product/security-settings.md#security-keys-and-passkeys, docs/decisions/0023-webauthn.md): the
// JSON forms of the W3C types that @simplewebauthn/browser sends and @simplewebauthn/server reads. Strict like every
// body, with every field current browsers put in `PublicKeyCredential.toJSON()`; bounds only stop abuse.

export const RegistrationCredentialSchema = Type.Object(
  {
    id: base64url(1024),
    rawId: base64url(1024),
    type: Type.Literal('public-key'),
    response: Type.Object(
      {
        clientDataJSON: base64url(4096),
        attestationObject: base64url(16384),
        authenticatorData: Type.Optional(base64url(16384)),
        transports: Type.Optional(Transports),
        publicKeyAlgorithm: Type.Optional(Type.Integer()),
        publicKey: Type.Optional(base64url(4096)),
      },
      strict,
    ),
    authenticatorAttachment: Type.Optional(Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')])),
    clientExtensionResults: ClientExtensionResultsSchema,
  },
  { ...strict, description: 'The new credential as `navigator.credentials.create()` returned it, in its JSON form' },
);
export type RegistrationCredential = Static<typeof RegistrationCredentialSchema>;

const CredentialDescriptorSchema = Type.Object(
  { id: Type.String(), type: Type.Literal('public-key'), transports: Type.Optional(Type.Array(Type.String())) },
  strict,
);

/** `PublicKeyCredentialCreationOptionsJSON`, for `startRegistration({ optionsJSON })`. */
export const RegistrationOptionsSchema = Type.Object(
  {
    rp: Type.Object({ name: Type.String(), id: Type.String() }, strict),
    user: Type.Object({ id: Type.String(), name: Type.String(), displayName: Type.String() }, strict),
    challenge: Type.String(),
    pubKeyCredParams: Type.Array(Type.Object({ alg: Type.Integer(), type: Type.Literal('public-key') }, strict)),
    timeout: Type.Integer(),
    excludeCredentials: Type.Array(CredentialDescriptorSchema),
    authenticatorSelection: Type.Object(
      { residentKey: Type.String(), userVerification: Type.String(), requireResidentKey: Type.Boolean() },
      strict,
    ),
    attestation: Type.Literal('none'),
    extensions: Type.Object({ credProps: Type.Boolean() }, strict),
    hints: Type.Array(Type.String()),
  },
  strict,
);
export type RegistrationOptions = Static<typeof RegistrationOptionsSchema>;

/** `PublicKeyCredentialRequestOptionsJSON`, for `startAuthentication({ optionsJSON })`. */
export const AssertionOptionsSchema = Type.Object(
  {
    challenge: Type.String(),
    timeout: Type.Integer(),
    rpId: Type.String(),
    allowCredentials: Type.Array(CredentialDescriptorSchema),
    userVerification: Type.Union([Type.Literal('required'), Type.Literal('preferred'), Type.Literal('discouraged')]),
  },
  strict,
);
export type AssertionOptions = Static<typeof AssertionOptionsSchema>;

export const RegistrationOptionsResponseSchema = Type.Object({ options: RegistrationOptionsSchema }, strict);
export const AssertionOptionsResponseSchema = Type.Object({ options: AssertionOptionsSchema }, strict);

export const WebAuthnCredentialSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    kind: Type.Union([Type.Literal('passkey'), Type.Literal('security_key')], {
      description: '`passkey`: discoverable, can sign in without a username; `security_key`: a second factor only',
    }),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  strict,
);
export type WebAuthnCredential = Static<typeof WebAuthnCredentialSchema>;

/** Whether this server can offer WebAuthn at all, and why not (docs/product/security-settings.md#security-keys-and-passkeys). */
export const WebAuthnAvailabilitySchema = Type.Object(
  {
    available: Type.Boolean(),
    relyingPartyId: Type.Union([Type.String(), Type.Null()]),
    unavailableReason: Type.Union([Type.String(), Type.Null()], {
      description: 'Why security keys cannot be used here (ROSTER_PUBLIC_URL is an IP address), for the console to show',
    }),
  },
  strict,
);

export const AddWebAuthnCredentialResponseSchema = Type.Object(
  {
    credential: WebAuthnCredentialSchema,
    recoveryCodes: Type.Array(Type.String(), {
      description: 'When this key turned 2FA on: the ten recovery codes, shown once. Otherwise empty',
    }),
  },
  strict,
);
export type AddWebAuthnCredentialResponse = Static<typeof AddWebAuthnCredentialResponseSchema>;

export const CredentialNameSchema = Type.String({ minLength: 1, maxLength: 64, description: 'Your name for the key, e.g. "YubiKey 5C"' });

export const WebAuthnCredentialParamsSchema = Type.Object({ id: Type.String({ format: 'uuid' }) }, strict);

export const FinishWebAuthnRegistrationBodySchema = Type.Object(
  { name: CredentialNameSchema, credential: RegistrationCredentialSchema },
  strict,
);
export type FinishWebAuthnRegistrationBody = Static<typeof FinishWebAuthnRegistrationBodySchema>;

export const PasskeyLoginBodySchema = Type.Object({ credential: AssertionSchema }, strict);

export const WebAuthnCredentialsResponseSchema = Type.Object(
  { ...WebAuthnAvailabilitySchema.properties, items: Type.Array(WebAuthnCredentialSchema) },
  strict,
);
export type WebAuthnCredentialsResponse = Static<typeof WebAuthnCredentialsResponseSchema>;

const CurrentPasswordSchema = Type.Optional(Type.String({ maxLength: 4096, description: 'Your current password' }));

/** `currentPassword` plus, once 2FA is on, `secondFactor` (the body of every change to one's own factors). */
export const WebAuthnChangeProofBodySchema = MfaChangeBodySchema;
export type WebAuthnChangeProofBody = Static<typeof WebAuthnChangeProofBodySchema>;

export const RenameWebAuthnCredentialBodySchema = Type.Object(
  { name: CredentialNameSchema, currentPassword: CurrentPasswordSchema, secondFactor: OptionalSecondFactorSchema },
  strict,
);

export const LoginMethodsResponseSchema = Type.Object(
  {
    password: Type.Boolean(),
    passkey: Type.Boolean({ description: 'Whether **Sign in with a passkey** is offered' }),
    identityProviders: Type.Array(LoginMethodProviderSchema, { description: 'One **Log in with <label>** button each (docs/sso.md)' }),
    passwordLogin: literalUnion(passwordLoginChoices, {
      description: '`owners` when Settings → Security requires SSO: password and passkey logins are for Owners only',
    }),
  },
  strict,
);
export type LoginMethodsResponse = Static<typeof LoginMethodsResponseSchema>;
