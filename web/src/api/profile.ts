import type { ChangeOwnEmailBody, OwnSession, ResetTokenResponse } from '../../../src/shared/api/me';
import type { EndSessionsResponse } from '../../../src/shared/api/people';
import { api, completed, dataOf } from './client';
import type { Me } from './types';
import type { ChangeProof } from './webauthn';

export type { OwnSession, ResetTokenResponse };

// Profile settings (docs/product/console.md#profile-settings): the caller's own screen name, email, API token and
// sessions.

/** Changes the caller's screen name; answers with the updated caller. */
export function updateScreenName(username: string): Promise<Me> {
  return dataOf(api.PATCH('/me', { body: { username } }));
}

/** Changes the caller's email; needs the current password and ends every other session of the caller. */
export function changeOwnEmail(request: ChangeOwnEmailBody): Promise<Me> {
  return dataOf(api.POST('/me/email', { body: request }));
}

/**
 * Replaces the personal API token: the old one stops working at once, the new one is in this answer only. `proof`: the
 * current password (none without one) and, with 2FA on, a second factor.
 */
export function resetApiToken(proof: ChangeProof): Promise<ResetTokenResponse> {
  return dataOf(api.POST('/me/token', { body: proof }));
}

/** Revokes the personal API token, with the same proof as a reset. */
export function revokeApiToken(proof: ChangeProof): Promise<void> {
  return completed(api.DELETE('/me/token', { body: proof }));
}

/** The caller's live browser sessions, most recently used first. */
export async function fetchOwnSessions(signal?: AbortSignal): Promise<OwnSession[]> {
  return (await dataOf(api.GET('/me/sessions', { signal }))).items;
}

/** Signs out one of the caller's sessions. */
export function endOwnSession(id: string): Promise<void> {
  return completed(api.DELETE('/me/sessions/{id}', { params: { path: { id } } }));
}

/** Signs out every session of the caller except this one; answers how many ended. */
export function endOtherSessions(): Promise<EndSessionsResponse> {
  return dataOf(api.DELETE('/me/sessions'));
}
