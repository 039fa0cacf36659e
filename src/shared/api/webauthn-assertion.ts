import { type Static, Type } from 'typebox';

// The JSON form of a WebAuthn assertion (`PublicKeyCredential.toJSON()` of `navigator.credentials.get()`), shared by
// the WebAuthn routes and by every `secondFactor: { webauthn }` (docs/decisions/0023-webauthn.md). Strict like every
// body, with every field current browsers send; bounds only stop abuse.

export const strict = { additionalProperties: false } as const;
export const base64url = (maxLength: number, description?: string) =>
  Type.String({ pattern: '^[A-Za-z0-9_-]*$', maxLength, ...(description ? { description } : {}) });
export const Transports = Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10 });

/** What the browser adds beside the signed data (credProps tells whether a new credential is discoverable). */
export const ClientExtensionResultsSchema = Type.Object(
  {
    credProps: Type.Optional(Type.Object({ rk: Type.Optional(Type.Boolean()) }, strict)),
    appid: Type.Optional(Type.Boolean()),
    hmacCreateSecret: Type.Optional(Type.Boolean()),
  },
  strict,
);

export const AssertionSchema = Type.Object(
  {
    id: base64url(1024),
    rawId: base64url(1024),
    type: Type.Literal('public-key'),
    response: Type.Object(
      {
        clientDataJSON: base64url(4096),
        authenticatorData: base64url(16384),
        signature: base64url(4096),
        userHandle: Type.Optional(base64url(512)),
      },
      strict,
    ),
    authenticatorAttachment: Type.Optional(Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')])),
    clientExtensionResults: ClientExtensionResultsSchema,
  },
  { ...strict, description: 'A signed WebAuthn assertion as `navigator.credentials.get()` returned it, in its JSON form' },
);
export type Assertion = Static<typeof AssertionSchema>;
