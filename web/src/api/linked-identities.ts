import type {
  LinkedIdentity,
  LinkIdentityBody,
  LinkIdentityResponse,
  ListLinkedIdentitiesResponse,
} from '../../../src/shared/api/sso-console';
import { API_BASE, accept, csrfHeaders, networkError, toApiError } from './client';

export type { LinkedIdentity } from '../../../src/shared/api/sso-console';

// Profile settings → Linked accounts: the caller's accounts at the company identity providers (SPEC §12.2). These
// endpoints are built at the same time as the console (issue 16 part 2) and are not in the OpenAPI
// document the typed client is generated from yet, hence plain `fetch` here, with the same CSRF token and the same
// ApiError as the typed client (like web/src/api/interactions.ts).

async function call(path: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, { credentials: 'same-origin', ...init });
  } catch (error) {
    // An aborted call (a query nobody waits for any more) stays the AbortError that TanStack Query expects.
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw networkError();
  }
  if (!response.ok) throw await toApiError(response);
  return response;
}

/** The caller's linked accounts. */
export async function listLinkedIdentities(signal?: AbortSignal): Promise<LinkedIdentity[]> {
  const response = await call('/me/identities', { headers: { Accept: accept }, signal: signal ?? null });
  const page = (await response.json()) as ListLinkedIdentitiesResponse;
  return page.items;
}

/**
 * Starts linking an account at a provider, with the current password (and a second factor when 2FA is on): the answer
 * is the provider's login address, bound to this session; the provider sends the browser back to Profile settings.
 */
export async function startLinkingIdentity(body: LinkIdentityBody): Promise<LinkIdentityResponse> {
  const response = await call('/me/identities', {
    method: 'POST',
    headers: { Accept: accept, 'Content-Type': 'application/json', ...csrfHeaders() },
    body: JSON.stringify(body),
  });
  return (await response.json()) as LinkIdentityResponse;
}

/**
 * Asks a linked provider for a fresh login, instead of a password the person does not have (docs/sso.md): the answer
 * is the provider's login address; it sends the browser back to `returnTo` with `?reauthenticated=1`.
 */
export async function startReauthentication(body: { identityProviderId: string; returnTo: string }): Promise<LinkIdentityResponse> {
  const response = await call('/me/reauthenticate', {
    method: 'POST',
    headers: { Accept: accept, 'Content-Type': 'application/json', ...csrfHeaders() },
    body: JSON.stringify(body),
  });
  return (await response.json()) as LinkIdentityResponse;
}

/** Unlinks one account: it can no longer log in to Roster (409 `last_login_method` when it is the only way in). */
export async function unlinkIdentity(id: string): Promise<void> {
  await call(`/me/identities/${encodeURIComponent(id)}`, { method: 'DELETE', headers: { Accept: accept, ...csrfHeaders() } });
}
