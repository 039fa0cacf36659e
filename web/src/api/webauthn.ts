import { startAuthentication, startRegistration, WebAuthnError } from '@simplewebauthn/browser';
import type { SessionResponse } from '../../../src/shared/api/auth';

import type {
  AddWebAuthnCredentialResponse,
  Assertion,
  LoginMethodsResponse,
  RegistrationCredential,
  WebAuthnChangeProofBody,
  WebAuthnCredential,
  WebAuthnCredentialsResponse,
} from '../../../src/shared/api/webauthn';
import { api, completed, dataOf, isApiError, setCsrfToken } from './client';

export type { Assertion, WebAuthnCredential, WebAuthnCredentialsResponse };

/** One **Log in with <label>** button: `startUrl` is a console address (`/auth/sso/<id>/start`), outside /api/v1. */
export type SsoLoginMethod = LoginMethodsResponse['identityProviders'][number];

/** The proof a change to one's own factors carries (docs/product/security-settings.md#two-factor-authentication). */
export type ChangeProof = WebAuthnChangeProofBody;

// Security keys and passkeys (docs/product/security-settings.md#security-keys-and-passkeys). The browser part of every
// ceremony is @simplewebauthn/browser; the server issues each challenge and accepts it once.

/**
 * How this server lets people log in: **Sign in with a passkey** only when it can, a **Log in with <label>** button per
 * company identity provider.
 * A server that does not know the address at all (404) offers the password only: no buttons, and no error to show.
 */
export async function fetchLoginMethods(signal?: AbortSignal): Promise<LoginMethodsResponse> {
  try {
    return await dataOf(api.GET('/auth/login-methods', { signal }));
  } catch (error) {
    if (isApiError(error, { status: 404 })) return { password: true, passkey: false, identityProviders: [], passwordLogin: 'everyone' };
    throw error;
  }
}

/** The caller's keys, and whether the server offers them at all. */
export function fetchWebAuthnCredentials(signal?: AbortSignal): Promise<WebAuthnCredentialsResponse> {
  return dataOf(api.GET('/me/mfa/webauthn', { signal }));
}

/** Adds a security key or passkey: the proof first, then the authenticator, then the new credential and its name. */
export async function addWebAuthnCredential(input: ChangeProof & { name: string }): Promise<AddWebAuthnCredentialResponse> {
  const { name, ...proof } = input;
  const { options } = await dataOf(api.POST('/me/mfa/webauthn/options', { body: proof }));
  const credential = (await startRegistration({ optionsJSON: options as never })) as unknown as RegistrationCredential;
  return dataOf(api.POST('/me/mfa/webauthn', { body: { name, credential: onlyDeclaredFields(credential) } }));
}

export function renameWebAuthnCredential(id: string, input: ChangeProof & { name: string }): Promise<WebAuthnCredential> {
  return dataOf(api.PATCH('/me/mfa/webauthn/{id}', { params: { path: { id } }, body: input }));
}

export function removeWebAuthnCredential(id: string, proof: ChangeProof): Promise<void> {
  return completed(api.DELETE('/me/mfa/webauthn/{id}', { params: { path: { id } }, body: proof }));
}

/** An assertion by one of the caller's keys, to confirm a change (`secondFactor: { webauthn }`). */
export async function confirmWithSecurityKey(): Promise<Assertion> {
  const { options } = await dataOf(api.POST('/me/mfa/webauthn/confirmation-options'));
  return assertionOf(await startAuthentication({ optionsJSON: options as never }));
}

/** **Sign in with a passkey**: one complete login; the server sets the session cookie. */
export async function logInWithPasskey(): Promise<SessionResponse> {
  const { options } = await dataOf(api.POST('/auth/passkey/options'));
  const credential = assertionOf(await startAuthentication({ optionsJSON: options as never }));
  const result = await dataOf(api.POST('/auth/passkey', { body: { credential } }));
  setCsrfToken(result.csrfToken);
  return result;
}

/** An assertion as the server's strict schema takes it (browsers may add fields of newer specifications). */
export function assertionOf(response: Awaited<ReturnType<typeof startAuthentication>>): Assertion {
  return {
    id: response.id,
    rawId: response.rawId,
    type: 'public-key',
    response: {
      clientDataJSON: response.response.clientDataJSON,
      authenticatorData: response.response.authenticatorData,
      signature: response.response.signature,
      ...(response.response.userHandle ? { userHandle: response.response.userHandle } : {}),
    },
    ...(response.authenticatorAttachment ? { authenticatorAttachment: response.authenticatorAttachment } : {}),
    clientExtensionResults: {},
  };
}

function onlyDeclaredFields(credential: RegistrationCredential): RegistrationCredential {
  const { response } = credential;
  const rk = credential.clientExtensionResults?.credProps?.rk;
  return {
    id: credential.id,
    rawId: credential.rawId,
    type: 'public-key',
    response: {
      clientDataJSON: response.clientDataJSON,
      attestationObject: response.attestationObject,
      ...(response.authenticatorData ? { authenticatorData: response.authenticatorData } : {}),
      ...(response.transports ? { transports: response.transports } : {}),
      ...(response.publicKeyAlgorithm !== undefined ? { publicKeyAlgorithm: response.publicKeyAlgorithm } : {}),
      ...(response.publicKey ? { publicKey: response.publicKey } : {}),
    },
    ...(credential.authenticatorAttachment ? { authenticatorAttachment: credential.authenticatorAttachment } : {}),
    clientExtensionResults: rk === undefined ? {} : { credProps: { rk } },
  };
}

/** The message for a ceremony the browser ended (cancelled, timed out, a key already registered). */
export function webAuthnBrowserMessage(error: unknown): string | null {
  if (error instanceof WebAuthnError) {
    if (error.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') return 'This security key is already registered to your account.';
    return 'The security key request was cancelled or timed out. Try again.';
  }
  if (error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'AbortError')) {
    return 'The security key request was cancelled or timed out. Try again.';
  }
  return null;
}
