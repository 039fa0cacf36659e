import { deleteExpiredSsoStates, insertSsoState } from '../../storage/queries/sso-states.js';
import type { SsoStatesTable } from '../../storage/schema.js';
import { recordAuditFailure } from '../audit/record-audit-event.js';
import { generateSecret, sha256Hex } from '../auth/secrets.js';
import type { OperationContext, Services } from '../context.js';
import { DomainError } from '../errors.js';
import { type IdentityProviderLoginConfig, loadIdentityProviderForLogin } from '../identity-providers/load-identity-provider.js';
import { describeError, openIdClient } from './provider-configuration.js';
import { SsoRefusal } from './sso-refusal.js';

/** How long a browser has between leaving for the provider and coming back (the state row and its cookie). */
export const ssoStateMinutes = 10;

/** An authorization request on its way: the cookie's handle (also the `state` parameter) and where to send the browser. */
export interface SsoStart {
  handle: string;
  redirectUrl: string;
  expiresAt: Date;
}

/**
 * Where a login may land afterwards: a path of this console (`/…`), never another origin (`//evil`, `/\evil`, a
 * scheme), nor control characters; anything else is `/`.
 */
export function safeReturnTo(input: string | undefined, publicUrl: URL): string {
  if (!input || input.length > 2000 || !input.startsWith('/') || input.startsWith('//') || input.startsWith('/\\')) return '/';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses.
  if (/[\u0000-\u001f\u007f\\]/.test(input)) return '/';
  try {
    const resolved = new URL(input, publicUrl);
    if (resolved.origin !== publicUrl.origin) return '/';
    return `${resolved.pathname}${resolved.search}${resolved.hash}`;
  } catch {
    return '/';
  }
}

/** The provider a browser asked for, decrypted for the login; refusals the browser can be told about. */
export async function providerForLogin(services: Pick<Services, 'database' | 'secrets' | 'config'>, id: string) {
  try {
    return await loadIdentityProviderForLogin(services, id);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found') throw new SsoRefusal('unknown_provider');
    // No key, or a secret that does not decrypt: the provider cannot be used from here.
    throw new SsoRefusal('provider_unavailable', `provider_unavailable: ${describeError(error)}`);
  }
}

/**
 * `GET /auth/sso/:id/start` (docs/sso.md#logging-in): a state row for a login, and the provider's authorization URL
 * with state, nonce and PKCE (S256). `unknown_provider` or `provider_unavailable` otherwise.
 */
export async function startSsoLogin(ctx: OperationContext, providerId: string, returnTo: string | undefined): Promise<SsoStart> {
  let provider: IdentityProviderLoginConfig | null = null;
  try {
    provider = await providerForLogin(ctx, providerId);
    return await startAuthorization(ctx, provider, {
      purpose: 'login',
      user_id: null,
      session_digest: null,
      return_to: safeReturnTo(returnTo, ctx.config.publicUrl),
    });
  } catch (error) {
    if (error instanceof SsoRefusal) {
      await recordAuditFailure(ctx, {
        action: 'auth.sso_login_failed',
        target: { type: 'user', id: null, name: null },
        details: {
          reason: error.reason,
          purpose: 'login',
          step: 'start',
          ...(provider
            ? { identityProvider: { id: provider.id, label: provider.label } }
            : { identityProviderId: providerId.slice(0, 100) }),
        },
      });
    }
    throw error;
  }
}

/** Writes the state row and builds the authorization URL (a login, or a link or re-authentication bound to a session). */
export async function startAuthorization(
  ctx: OperationContext,
  provider: IdentityProviderLoginConfig,
  binding: Pick<SsoStatesTable, 'purpose' | 'user_id' | 'session_digest' | 'return_to'>,
  /** More authorization parameters (a re-authentication asks `max_age=0` and `prompt=login`). */
  extra: Record<string, string> = {},
): Promise<SsoStart> {
  const client = await openIdClient();
  const config = await ctx.providerDiscovery.configurationOf(provider, 'start');
  const handle = generateSecret(32);
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + ssoStateMinutes * 60_000);
  await ctx.database.transact(async (trx) => {
    await deleteExpiredSsoStates(trx, now.toISOString());
    await insertSsoState(trx, {
      id_digest: sha256Hex(handle),
      identity_provider_id: provider.id,
      ...binding,
      nonce,
      code_verifier: codeVerifier,
      created_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
    });
  });
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: provider.redirectUri,
    scope: provider.scopes.join(' '),
    response_type: 'code',
    state: handle,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { handle, redirectUrl: url.href, expiresAt };
}
