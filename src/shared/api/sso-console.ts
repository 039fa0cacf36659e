// The answers of the SSO login endpoints as the console reads them (issue 16 part 2: the shapes agreed with the server
// side, which is built at the same time). Until its schemas reach the OpenAPI document, the console reads these
// answers with plain `fetch` (web/src/api/linked-identities.ts) or as optional members of the existing
// `GET /auth/login-methods` answer, typed here. Types only: nothing here runs on the server.
import type { WebAuthnChangeProofBody } from './webauthn.js';

/** One **Log in with <label>** button: `startUrl` is a console address (`/auth/sso/<id>/start`), outside /api/v1. */
export interface SsoLoginMethod {
  id: string;
  label: string;
  startUrl: string;
}

/**
 * What `GET /auth/login-methods` adds for SSO: the providers to offer, and whether password login is open to everyone
 * or (with "Require SSO" on) to Owners only. Both absent on a server without SSO login.
 */
export interface SsoLoginMethods {
  identityProviders?: SsoLoginMethod[];
  passwordLogin?: 'everyone' | 'owners';
}

/** `GET /me/identities`: an account at a company identity provider linked to the caller. */
export interface LinkedIdentity {
  id: string;
  identityProviderId: string;
  label: string;
  email: string | null;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface ListLinkedIdentitiesResponse {
  items: LinkedIdentity[];
  nextCursor: string | null;
}

/** `POST /me/identities`: the current password, then a second factor when 2FA is on (as every change to one's own sign-in). */
export type LinkIdentityBody = WebAuthnChangeProofBody & { identityProviderId: string };

/** Where the browser goes to log in at the provider; the answer also set the `roster_sso` cookie. */
export interface LinkIdentityResponse {
  redirectUrl: string;
}
