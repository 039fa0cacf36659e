import type {
  ChangeOwnEmailBody,
  CurrentPasswordBody,
  OwnSession,
  OwnSessionsResponse,
  ResetTokenResponse,
  UpdateMeBody,
} from '../../../src/shared/api/me';
import type { EndSessionsResponse } from '../../../src/shared/api/people';
import { apiRequest } from './client';
import type { Me } from './types';

export type { OwnSession, ResetTokenResponse };

// Profile settings (docs/product/console.md#profile-settings): the caller's own screen name, email, API token and
// sessions.

/** Changes the caller's screen name; answers with the updated caller. */
export function updateScreenName(username: string): Promise<Me> {
  return apiRequest<Me>('/me', { method: 'PATCH', body: { username } satisfies UpdateMeBody });
}

/** Changes the caller's email; needs the current password and ends every other session of the caller. */
export function changeOwnEmail(request: ChangeOwnEmailBody): Promise<Me> {
  return apiRequest<Me>('/me/email', { method: 'POST', body: request });
}

/** Replaces the personal API token: the old one stops working at once, the new one is in this answer only. */
export function resetApiToken(currentPassword: string): Promise<ResetTokenResponse> {
  return apiRequest<ResetTokenResponse>('/me/token', { method: 'POST', body: { currentPassword } satisfies CurrentPasswordBody });
}

/** Revokes the personal API token. */
export function revokeApiToken(currentPassword: string): Promise<void> {
  return apiRequest<void>('/me/token', { method: 'DELETE', body: { currentPassword } satisfies CurrentPasswordBody });
}

/** The caller's live browser sessions, most recently used first. */
export async function fetchOwnSessions(signal?: AbortSignal): Promise<OwnSession[]> {
  const result = await apiRequest<OwnSessionsResponse>('/me/sessions', { signal });
  return result.items;
}

/** Signs out one of the caller's sessions. */
export function endOwnSession(id: string): Promise<void> {
  return apiRequest<void>(`/me/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Signs out every session of the caller except this one; answers how many ended. */
export function endOtherSessions(): Promise<EndSessionsResponse> {
  return apiRequest<EndSessionsResponse>('/me/sessions', { method: 'DELETE' });
}
