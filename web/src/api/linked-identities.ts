import type { LinkIdentityBody, OwnIdentitiesResponse, ReauthenticateBody } from '../../../src/shared/api/sso';
import { api, completed, dataOf } from './client';

export type LinkedIdentity = OwnIdentitiesResponse['items'][number];

// Profile settings → Linked accounts: the caller's accounts at the company identity providers (SPEC §12.2,
// docs/sso.md#linking-from-profile).

/** The caller's linked accounts. */
export async function listLinkedIdentities(signal?: AbortSignal): Promise<LinkedIdentity[]> {
  return (await dataOf(api.GET('/me/identities', { signal }))).items;
}

/**
 * Starts linking an account at a provider, with the current password (and a second factor when 2FA is on): the answer
 * is the provider's login address, bound to this session; the provider sends the browser back to Profile settings.
 */
export function startLinkingIdentity(body: LinkIdentityBody): Promise<{ redirectUrl: string }> {
  return dataOf(api.POST('/me/identities', { body }));
}

/**
 * Asks a linked provider for a fresh login, instead of a password the person does not have (docs/sso.md): the answer
 * is the provider's login address; it sends the browser back to `returnTo` with `?reauthenticated=1`.
 */
export function startReauthentication(body: ReauthenticateBody): Promise<{ redirectUrl: string }> {
  return dataOf(api.POST('/me/reauthenticate', { body }));
}

/** Unlinks one account: it can no longer log in to Roster (409 `last_login_method` when it is the only way in). */
export function unlinkIdentity(id: string): Promise<void> {
  return completed(api.DELETE('/me/identities/{id}', { params: { path: { id } } }));
}
