import type { Configuration } from 'openid-client';
import { isLoopbackHttp } from '../identity-providers/identity-provider-rules.js';
import type { IdentityProviderLoginConfig } from '../identity-providers/load-identity-provider.js';
import { discoveryTimeoutSeconds } from '../identity-providers/test-identity-provider-connection.js';
import { SsoRefusal } from './sso-refusal.js';

/** The library, loaded on first use like in Test connection: servers that never use SSO pay nothing at start. */
export const openIdClient = () => import('openid-client');

/**
 * The provider as openid-client sees it: its discovery document (fetched like Test connection does: never through a
 * redirect, plain http only on loopback, at most 5 seconds) and Roster's client there. A provider that cannot be reached
 * or answers no valid document is `provider_unavailable`, with the library's message kept for the audit log.
 */
export async function providerConfiguration(provider: IdentityProviderLoginConfig): Promise<Configuration> {
  const client = await openIdClient();
  const issuer = new URL(provider.issuer);
  try {
    return await client.discovery(issuer, provider.clientId, provider.clientSecret, undefined, {
      timeout: discoveryTimeoutSeconds,
      ...(isLoopbackHttp(issuer) ? { execute: [client.allowInsecureRequests] } : {}),
    });
  } catch (error) {
    throw new SsoRefusal('provider_unavailable', `provider_unavailable: ${describeError(error)}`);
  }
}

/** One line about a library or network error, for the audit log (never a token: the library's messages hold none). */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let cause: unknown = error, depth = 0; cause && depth < 4; depth++) {
    if (cause instanceof Error) parts.push(cause.message);
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') parts.push(code);
    cause = (cause as { cause?: unknown }).cause;
  }
  return parts.join('; ').slice(0, 300) || 'unknown error';
}
