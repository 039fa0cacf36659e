import { expect } from 'vitest';
import { loadAccessSubject } from '../../../src/domain/access/load-access-subject.js';
import { createIdentityProvider } from '../../../src/domain/identity-providers/create-identity-provider.js';
import type { CreateIdentityProviderBody } from '../../../src/shared/api/identity-providers.js';
import { buildApiToken } from '../../support/factories.js';
import { type ListeningTestApp, TestBrowser } from '../../support/oidc.js';
import type { TestApp } from '../../support/test-app.js';
import type { UpstreamIdp } from '../../support/upstream-idp.js';

// Shared steps of the SSO login tests (SPEC §12.2, docs/sso.md): register a provider, walk a browser through it.

let counter = 0;
export const unique = (base: string) => `${base}-${++counter}-${Math.random().toString(36).slice(2, 7)}`;

/** Registers the stand-in provider in Roster (as the test Owner) and lets its client accept that provider's callback. */
export async function registerProvider(t: TestApp, idp: UpstreamIdp, extra: Partial<CreateIdentityProviderBody> = {}) {
  const subject = await loadAccessSubject(t.services.database.db, t.owner.user.id);
  if (!subject) throw new Error('the test Owner is missing');
  const asOwner = { ...t.cliContext(), caller: { kind: 'user' as const, subject } };
  const { identityProvider } = await createIdentityProvider(asOwner, {
    label: unique('Company SSO').slice(0, 60),
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    scopes: ['openid', 'profile', 'email', 'groups'],
    createUnknown: true,
    linkVerifiedEmail: false,
    ...extra,
  });
  idp.redirectUris.push(identityProvider.redirectUri);
  return identityProvider;
}

/** The test Owner's API calls (its own token). */
export async function ownerApi(t: ListeningTestApp) {
  const token = await buildApiToken(t, t.owner.user);
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(new URL(path, t.base), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text, json: () => JSON.parse(text) as Record<string, unknown> };
  };
}

/**
 * Follows redirects through Roster and the provider, like a browser, until the browser lands on a Roster page that is
 * not an `/auth/sso/…` step (returned, not fetched). `stopAtCallback`: stop at Roster's callback instead.
 */
export async function walk(browser: TestBrowser, start: string, options: { stopAtCallback?: boolean } = {}): Promise<URL> {
  let next = start;
  for (let hop = 0; hop < 15; hop++) {
    const url = new URL(next, browser.base);
    const atRoster = url.origin === browser.base;
    if (atRoster && options.stopAtCallback && /^\/auth\/sso\/[^/]+\/callback$/.test(url.pathname)) return url;
    if (atRoster && !url.pathname.startsWith('/auth/sso/')) return url;
    const response = await browser.fetch(url.href);
    const location = response.headers.get('location');
    if (!location) throw new Error(`no redirect from ${url.href}: ${response.status} ${(await response.text()).slice(0, 300)}`);
    next = new URL(location, url).href;
  }
  throw new Error('too many redirects');
}

/** A fresh browser's login through the provider as `login` (programmatic mode); where it lands. */
export async function ssoLogin(t: ListeningTestApp, idp: UpstreamIdp, providerId: string, login: string, returnTo?: string) {
  const browser = new TestBrowser(t.base);
  idp.nextLogin = login;
  const query = returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`;
  const landed = await walk(browser, `/auth/sso/${providerId}/start${query}`);
  return { browser, landed };
}

/** Who the browser's session is (GET /me), or the status when it has none. */
export async function whoAmI(browser: TestBrowser): Promise<{ status: number; username?: string; id?: string }> {
  const response = await browser.fetch('/api/v1/me');
  if (response.status !== 200) return { status: response.status };
  const body = (await response.json()) as { user: { username: string; id: string } };
  return { status: 200, username: body.user.username, id: body.user.id };
}

export async function auditOf(t: TestApp, action: string) {
  return t.services.database.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'details', 'target_id', 'target_name', 'actor_type'])
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
}

export const detailsOf = (event: { details: unknown }) =>
  (typeof event.details === 'string' ? JSON.parse(event.details) : event.details) as Record<string, unknown>;

export function expectLanded(landed: URL, path: string, params: Record<string, string> = {}) {
  expect(landed.pathname).toBe(path);
  for (const [name, value] of Object.entries(params)) expect(landed.searchParams.get(name), name).toBe(value);
}
