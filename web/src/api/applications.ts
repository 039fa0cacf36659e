import type {
  Application,
  CreateApplicationBody,
  CreateApplicationResponse,
  ListApplicationsResponse,
  ListConsentsResponse,
  RotateSecretResponse,
  UpdateApplicationBody,
} from '../../../src/shared/api/applications';
import { api, completed, dataOf } from './client';

export type { Application, CreateApplicationBody, UpdateApplicationBody } from '../../../src/shared/api/applications';
export type ApplicationType = Application['type'];
/** One application the caller allowed (a consent), with the scopes allowed. */
export type Consent = ListConsentsResponse['items'][number];

// Settings → Applications (docs/product/console.md#applications): the applications that sign people in through Roster
// with OpenID Connect; and Profile → Applications: the ones the caller allowed.

export function listApplications(cursor: string | undefined, signal?: AbortSignal): Promise<ListApplicationsResponse> {
  return dataOf(api.GET('/applications', { params: { query: { cursor, limit: 100 } }, signal }));
}

export function getApplication(id: string, signal?: AbortSignal): Promise<Application> {
  return dataOf(api.GET('/applications/{id}', { params: { path: { id } }, signal }));
}

/** Registers an application; a confidential one's client secret is in the answer, once. */
export function createApplication(body: CreateApplicationBody): Promise<CreateApplicationResponse> {
  return dataOf(api.POST('/applications', { body }));
}

export function updateApplication(id: string, body: UpdateApplicationBody): Promise<Application> {
  return dataOf(api.PATCH('/applications/{id}', { params: { path: { id } }, body }));
}

/** A new client secret, in the answer once; the previous one keeps working for 24 hours. */
export function rotateApplicationSecret(id: string): Promise<RotateSecretResponse> {
  return dataOf(api.POST('/applications/{id}/secret', { params: { path: { id } } }));
}

/** Removes it: everyone signed in to it through Roster is signed out, its tokens stop working at once. */
export function removeApplication(id: string): Promise<void> {
  return completed(api.DELETE('/applications/{id}', { params: { path: { id } } }));
}

/** `GET /me/applications`: the applications the caller allowed, with the scopes. */
export async function listConsents(signal?: AbortSignal): Promise<Consent[]> {
  const page = await dataOf(api.GET('/me/applications', { signal }));
  return page.items;
}

/** Revokes the caller's consent to one application and signs them out of it. */
export function revokeConsent(applicationId: string): Promise<void> {
  return completed(api.DELETE('/me/applications/{id}', { params: { path: { id: applicationId } } }));
}

/** What an application needs to find Roster: the discovery document's address and the issuer it names. */
export interface ProviderAddresses {
  discoveryUrl: string;
  issuer: string;
}

/**
 * Reads the issuer from the discovery document (`ROSTER_PUBLIC_URL`, which may differ from the address the console was
 * opened at behind a proxy); when the document cannot be read, the console's own origin stands in.
 */
export async function fetchProviderAddresses(signal?: AbortSignal): Promise<ProviderAddresses> {
  const discoveryUrl = `${window.location.origin}/.well-known/openid-configuration`;
  try {
    const response = await fetch(discoveryUrl, { headers: { Accept: 'application/json' }, signal });
    if (response.ok) {
      const document = (await response.json()) as { issuer?: unknown };
      if (typeof document.issuer === 'string')
        return { discoveryUrl: `${document.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, issuer: document.issuer };
    }
  } catch (error) {
    if (signal?.aborted) throw error;
  }
  return { discoveryUrl, issuer: window.location.origin };
}
