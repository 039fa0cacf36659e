import type { CustomFetch } from 'openid-client';
import type { TestConnectionResponse } from '../../shared/api/identity-providers.js';
import { findIdentityProviderRow } from '../../storage/queries/identity-providers.js';
import { assertAllowed } from '../access/policies/enforce.js';
import { whyCannotManageIdentityProviders } from '../access/policies/identity-provider-policy.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { isLoopbackHttp, issuerViolation } from './identity-provider-rules.js';

/** How long Test connection waits for the discovery document. */
export const discoveryTimeoutSeconds = 5;

/** What the last response of a discovery looked like, seen by the fetch wrapper (the library's errors are generic). */
interface SeenResponse {
  url: string;
  status: number;
  location: string | null;
}

function networkCode(error: unknown): string | null {
  for (let cause: unknown = error, depth = 0; cause && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$|^UND_ERR|^ERR_TLS|CERT|SELF_SIGNED/.test(code)) return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return null;
}

function isTimeout(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause && depth < 5; depth++) {
    const name = (cause as { name?: unknown }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/** The most of a discovery document read: real ones are a few KiB. */
const maxDocumentBytes = 512 * 1024;

class DocumentTooLarge extends Error {}

/** The body, read up to `maxDocumentBytes` (a provider cannot make the server hold a huge answer). */
async function boundedBody(response: Response, url: string): Promise<Uint8Array | null> {
  if (!response.body) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxDocumentBytes) {
      await response.body.cancel().catch(() => undefined);
      throw new DocumentTooLarge(`The answer of ${url} is larger than ${maxDocumentBytes / 1024} KiB: not a discovery document.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The exact reason a discovery failed, in one sentence for the Owner. */
function explainFailure(error: unknown, issuer: URL, seen: SeenResponse | null, timeoutSeconds: number): string {
  for (let cause: unknown = error, depth = 0; cause && depth < 5; depth++) {
    if (cause instanceof DocumentTooLarge) return cause.message;
    cause = (cause as { cause?: unknown }).cause;
  }
  if (seen && seen.status >= 300 && seen.status < 400) {
    return `Redirect refused: ${seen.url} answered HTTP ${seen.status}${seen.location ? ` to ${seen.location}` : ''}; the discovery document is not fetched through redirects, use the issuer the provider names.`;
  }
  if (seen && seen.status !== 200)
    return `HTTP ${seen.status} from ${seen.url}: this is not the discovery document of an OpenID Connect provider.`;
  if (isTimeout(error)) return `Timed out: ${issuer.host} did not answer within ${timeoutSeconds} seconds.`;
  const code = networkCode(error);
  if (code === 'ECONNREFUSED') return `Connection refused: nothing listens at ${issuer.host}.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The host name ${issuer.hostname} does not resolve (${code}).`;
  if (code) return `Could not connect to ${issuer.host}: ${code}.`;
  const cause = (error as { cause?: { attribute?: unknown; body?: { issuer?: unknown } } }).cause;
  const message = error instanceof Error ? error.message : String(error);
  if (cause?.attribute === 'issuer' || /issuer does not match/.test(message)) {
    const named = typeof cause?.body?.issuer === 'string' ? cause.body.issuer : 'another issuer';
    return `Issuer mismatch: the discovery document names the issuer "${named}", not "${issuer.href}".`;
  }
  if (/content-type/i.test(message) || /parse .*JSON/i.test(message))
    return `Not JSON: the discovery document at ${seen?.url ?? issuer.href} is not a JSON object (${message}).`;
  return `The discovery document was refused: ${message}.`;
}

/**
 * Fetches an issuer's discovery document the way the login flow will (openid-client `discovery`): never through a
 * redirect, plain http only on loopback, at most `timeoutSeconds`. Answers what the provider said, or the exact error;
 * an invalid issuer is 400 `validation_failed`.
 */
export async function discoverIssuer(issuerText: string, timeoutSeconds = discoveryTimeoutSeconds): Promise<TestConnectionResponse> {
  const violation = issuerViolation(issuerText);
  if (violation) throw new DomainError('validation_failed', violation, { errors: [{ field: '/issuer', message: violation }] });
  const issuer = new URL(issuerText);
  const seen: { last: SeenResponse | null } = { last: null };
  // The library asks fetch for `redirect: 'manual'`; this wrapper keeps the status it saw, so a 3xx or 404 is named.
  const observingFetch: CustomFetch = async (url, options) => {
    const response = await fetch(url, { ...options, redirect: 'manual' });
    seen.last = { url, status: response.status, location: response.headers.get('location') };
    return new Response(await boundedBody(response, url), { status: response.status, headers: response.headers });
  };
  // Loaded on first use, like the provider library: no start-up cost for servers that never test a provider.
  const oidcClient = await import('openid-client');
  try {
    const config = await oidcClient.discovery(issuer, 'roster-connection-test', undefined, undefined, {
      timeout: timeoutSeconds,
      [oidcClient.customFetch]: observingFetch,
      ...(isLoopbackHttp(issuer) ? { execute: [oidcClient.allowInsecureRequests] } : {}),
    });
    const metadata = config.serverMetadata();
    return {
      ok: true,
      issuer: metadata.issuer,
      authorizationEndpoint: metadata.authorization_endpoint ?? '',
      tokenEndpoint: metadata.token_endpoint ?? null,
      userinfoEndpoint: metadata.userinfo_endpoint ?? null,
      jwksUri: metadata.jwks_uri ?? null,
      scopesSupported: metadata.scopes_supported ?? null,
      claimsSupported: Array.isArray(metadata.claims_supported)
        ? metadata.claims_supported.filter((c): c is string => typeof c === 'string')
        : null,
    };
  } catch (error) {
    return { ok: false, error: explainFailure(error, issuer, seen.last, timeoutSeconds) };
  }
}

/**
 * `POST /identity-providers/:id/test` (docs/sso.md): Test connection of a registered provider. 200 either way (the
 * action worked; the provider may not). Needs organization.identity_providers.manage; changes and records nothing.
 */
export async function testIdentityProviderConnection(ctx: OperationContext, id: string): Promise<TestConnectionResponse> {
  assertAllowed(whyCannotManageIdentityProviders(callerSubject(ctx)));
  const row = await findIdentityProviderRow(ctx.database.db, id);
  if (!row) throw new DomainError('not_found', 'No identity provider has this id.');
  return discoverIssuer(row.issuer);
}

/** `POST /identity-providers/test` (docs/sso.md): Test connection of an issuer before it is saved. */
export async function testIssuerConnection(ctx: OperationContext, issuer: string): Promise<TestConnectionResponse> {
  assertAllowed(whyCannotManageIdentityProviders(callerSubject(ctx)));
  return discoverIssuer(issuer.trim());
}
