import type { ApplicationsTable } from '../../storage/schema.js';

/** The scopes every application may ask for: sign-in only. */
export const signInScopes = ['openid', 'offline_access', 'profile', 'email', 'roster'] as const;
/** Access tokens Roster's own API accepts (an Owner's decision: `rosterApi`). */
export const rosterApiScope = 'roster:api';
/** Client-credentials tokens for the authorization API (an Owner's decision: `authorizeApi`). */
export const authorizeScope = 'roster:authorize';
export const allScopes = [...signInScopes, rosterApiScope, authorizeScope] as const;

export interface ProviderApplication
  extends Omit<ApplicationsTable, 'post_logout_redirect_uris' | 'first_party' | 'authorize_api' | 'roster_api' | 'restricted_to_groups'> {
  post_logout_redirect_uris: string;
  first_party: number;
  authorize_api: number;
  roster_api: number;
  restricted_to_groups: number;
  allowedGroupIds: string[];
}

/**
 * An application as OpenID Connect client metadata. A confidential client authenticates with its secret
 * (`client_secret_basic` or `_post`); the secret itself is not known here (only its digest is stored), so the
 * metadata carries a placeholder that no comparison accepts: the provider's secret check is replaced by Roster's
 * digest check (docs/decisions/0024). Public clients authenticate with nothing but PKCE.
 */
export function clientMetadataOf(application: ProviderApplication): Record<string, unknown> {
  const confidential = application.type === 'confidential';
  const redirectUris = JSON.parse(application.redirect_uris) as string[];
  const scopes: string[] = [...signInScopes];
  if (application.roster_api === 1) scopes.push(rosterApiScope);
  if (confidential && application.authorize_api === 1) scopes.push(authorizeScope);
  const grantTypes = ['authorization_code', 'refresh_token'];
  if (confidential && application.authorize_api === 1) grantTypes.push('client_credentials');
  return {
    client_id: application.client_id,
    client_name: application.name,
    ...(confidential
      ? { client_secret: `digest-only:${application.id}`, token_endpoint_auth_method: 'client_secret_basic' }
      : { token_endpoint_auth_method: 'none' }),
    application_type: redirectUris.every(isLoopbackIpUri) ? 'native' : 'web',
    redirect_uris: redirectUris,
    post_logout_redirect_uris: JSON.parse(application.post_logout_redirect_uris) as string[],
    grant_types: grantTypes,
    response_types: ['code'],
    scope: scopes.join(' '),
    id_token_signed_response_alg: 'ES256',
    roster_first_party: application.first_party === 1,
  };
}

/**
 * `http://127.0.0.1:<any port>/…` and `http://[::1]:<any port>/…` (RFC 8252 §7.3): a native or command-line client
 * listens on a port it picks at run time, so such an application is a `native` client, whose loopback redirect URIs
 * match on any port. Every other URI matches exactly.
 */
function isLoopbackIpUri(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === '[::1]');
  } catch {
    return false;
  }
}
