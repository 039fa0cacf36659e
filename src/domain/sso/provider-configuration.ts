import type { Configuration } from 'openid-client';
import { sha256Hex } from '../auth/secrets.js';
import { isLoopbackHttp } from '../identity-providers/identity-provider-rules.js';
import type { IdentityProviderLoginConfig } from '../identity-providers/load-identity-provider.js';
import { discoveryTimeoutSeconds } from '../identity-providers/test-identity-provider-connection.js';
import { SsoRefusal } from './sso-refusal.js';

/** The library, loaded on first use like in Test connection: servers that never use SSO pay nothing at start. */
export const openIdClient = () => import('openid-client');

/** How long a callback may reuse the discovery its start fetched (docs/sso.md#how-roster-talks-to-the-provider). */
export const discoveryCacheSeconds = 300;

/** How long a start may reuse a discovery that another start began: at most one fetch a second per provider and node. */
export const startReuseMs = 1000;

interface Discovered {
  /** The settings it was discovered with: issuer, client id and a digest of the client secret. */
  key: string;
  config: Promise<Configuration>;
  startedAt: number;
}

/**
 * Each provider's latest discovery, per node. A login **start** asks the provider, so that a provider that is down is
 * said on Roster's login page (`provider_unavailable`) instead of the browser meeting a dead address; starts within
 * `startReuseMs` of a fetch share its answer, so a burst of starts (anyone may send them) makes one fetch a second. A
 * **callback**, moments later, uses what the start fetched for up to `discoveryCacheSeconds` (and, with the same
 * Configuration, the signing keys openid-client keeps on it), instead of fetching the document again. A failed
 * discovery is not kept. Editing the provider's issuer, client id or secret in Roster takes effect at once: they are
 * part of the key. Test connection never reads from here.
 */
export class ProviderDiscovery {
  private readonly entries = new Map<string, Discovered>();

  constructor(private readonly now: () => Date) {}

  /**
   * The provider as openid-client sees it: its discovery document (fetched like Test connection does: never through a
   * redirect, plain http only on loopback, at most 5 seconds) and Roster's client there. `use`: `start` asks afresh
   * unless another start asked within `startReuseMs`, `callback` takes a recent one. A provider that cannot be reached
   * or answers no valid document is `provider_unavailable`, with the library's message kept for the audit log.
   */
  configurationOf(provider: IdentityProviderLoginConfig, use: 'start' | 'callback'): Promise<Configuration> {
    const key = `${provider.issuer}\n${provider.clientId}\n${sha256Hex(provider.clientSecret)}`;
    const at = this.now().getTime();
    const known = this.entries.get(provider.id);
    const reuseFor = use === 'start' ? startReuseMs : discoveryCacheSeconds * 1000;
    if (known && known.key === key && at - known.startedAt < reuseFor) return known.config;
    const entry: Discovered = { key, config: discover(provider), startedAt: at };
    this.entries.set(provider.id, entry);
    entry.config.catch(() => {
      if (this.entries.get(provider.id) === entry) this.entries.delete(provider.id);
    });
    return entry.config;
  }
}

async function discover(provider: IdentityProviderLoginConfig): Promise<Configuration> {
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
