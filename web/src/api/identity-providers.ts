import type {
  CreateIdentityProviderBody,
  IdentityProvider,
  ListIdentityProvidersResponse,
  TestConnectionResponse,
  UpdateIdentityProviderBody,
} from '../../../src/shared/api/identity-providers';
import { api, completed, dataOf } from './client';

export type {
  CreateIdentityProviderBody,
  IdentityProvider,
  TestConnectionResponse,
  UpdateIdentityProviderBody,
} from '../../../src/shared/api/identity-providers';

// Settings → Identity providers (docs/sso.md): the company identity providers people log in with. Owners only.

export function listIdentityProviders(cursor: string | undefined, signal?: AbortSignal): Promise<ListIdentityProvidersResponse> {
  return dataOf(api.GET('/identity-providers', { params: { query: { cursor, limit: 100 } }, signal }));
}

export function getIdentityProvider(id: string, signal?: AbortSignal): Promise<IdentityProvider> {
  return dataOf(api.GET('/identity-providers/{id}', { params: { path: { id } }, signal }));
}

/** Registers a provider; the answer names the redirect URI to register at the provider. */
export async function createIdentityProvider(body: CreateIdentityProviderBody): Promise<IdentityProvider> {
  const { identityProvider } = await dataOf(api.POST('/identity-providers', { body }));
  return identityProvider;
}

/** Changes the given fields; `clientSecret` replaces the stored secret, `groupMappings` replaces every mapping. */
export function updateIdentityProvider(id: string, body: UpdateIdentityProviderBody): Promise<IdentityProvider> {
  return dataOf(api.PATCH('/identity-providers/{id}', { params: { path: { id } }, body }));
}

/** Removes it with its mappings and the identities linked through it; the groups and their members stay. */
export function removeIdentityProvider(id: string): Promise<void> {
  return completed(api.DELETE('/identity-providers/{id}', { params: { path: { id } } }));
}

/**
 * Test connection: reads the discovery document the way the login will. A registered provider by its id, a form not
 * saved yet by the issuer typed in it. The answer is 200 either way: `ok` false carries the exact reason.
 */
export function testIdentityProvider(target: { id: string } | { issuer: string }): Promise<TestConnectionResponse> {
  if ('id' in target) return dataOf(api.POST('/identity-providers/{id}/test', { params: { path: { id: target.id } } }));
  return dataOf(api.POST('/identity-providers/test', { body: { issuer: target.issuer } }));
}

export {
  defaultEmailClaim,
  defaultGroupsClaim,
  defaultIdentityProviderScopes,
  defaultUsernameClaim,
  maxIdentityProviderLabelLength,
} from '../../../src/shared/api/identity-providers';
