import { accept, csrfHeaders, networkError, toApiError } from './client';

// The sign-in interaction of Roster's OpenID Connect provider (docs/product: Roster as an OpenID Connect provider).
// These are console addresses outside /api/v1, under the interaction's own path: the provider binds an interaction to
// the browser with a cookie whose Path is `/interaction/<uid>`, so only calls below that path carry it. They are not in
// the OpenAPI document, hence plain `fetch` here, with the same CSRF token and the same ApiError as the typed client.

/** What the provider asks of the person now: to log in, or to approve the scopes an application asks for. */
export interface InteractionDetails {
  uid: string;
  prompt: 'login' | 'consent';
  application: { name: string; clientId: string; firstParty: boolean };
  /** For consent: the scopes to approve. */
  scopes: string[];
  /** The person of the console session, when there is a usable one. */
  account: { id: string; username: string } | null;
  /** A console session that must finish a step before it may sign in anywhere. */
  restricted: null | 'password_change' | 'mfa_setup';
}

/** Where the browser goes next: the provider, which continues the flow. */
export interface InteractionRedirect {
  redirectTo: string;
}

function interactionUrl(uid: string, action: 'details' | 'login' | 'consent' | 'abort'): string {
  return `/interaction/${encodeURIComponent(uid)}/${action}`;
}

async function call<T>(url: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', ...init });
  } catch (error) {
    // An aborted call (a query nobody waits for any more) stays the AbortError that TanStack Query expects.
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw networkError();
  }
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as T;
}

/** The interaction `uid`; 404 `interaction_not_found` when it expired or belongs to another browser. */
export function fetchInteractionDetails(uid: string, signal?: AbortSignal): Promise<InteractionDetails> {
  return call<InteractionDetails>(interactionUrl(uid, 'details'), { headers: { Accept: accept }, signal: signal ?? null });
}

function post(uid: string, action: 'login' | 'consent' | 'abort'): Promise<InteractionRedirect> {
  return call<InteractionRedirect>(interactionUrl(uid, action), {
    method: 'POST',
    headers: { Accept: accept, 'Content-Type': 'application/json', ...csrfHeaders() },
    body: '{}',
  });
}

/** Finishes the login step with the current console session (401 without one, 403 for a restricted one). */
export function finishInteractionLogin(uid: string): Promise<InteractionRedirect> {
  return post(uid, 'login');
}

/** Approves the listed scopes; remembered until the person revokes it in Profile. */
export function approveInteractionConsent(uid: string): Promise<InteractionRedirect> {
  return post(uid, 'consent');
}

/** Sends the person back to the application with `access_denied`. */
export function abortInteraction(uid: string): Promise<InteractionRedirect> {
  return post(uid, 'abort');
}
