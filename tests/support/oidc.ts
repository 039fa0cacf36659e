import { createHash, createPublicKey, type JsonWebKey, randomBytes, randomUUID, verify } from 'node:crypto';
import net from 'node:net';
import * as oidcClient from 'openid-client';
import type { Services } from '../../src/domain/context.js';
import type { TestDialect } from './databases.js';
import { testSecretKeyEnv } from './mfa.js';
import { createTestApp, type TestApp } from './test-app.js';

/** A free TCP port on the loopback interface (the public URL must name the port before the app is built). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface ListeningTestApp extends TestApp {
  base: string;
}

/** A real app on a real database, listening on loopback at its public URL (a relying party talks to it over HTTP). */
export async function createListeningTestApp(dialect: TestDialect, env: Record<string, string> = {}): Promise<ListeningTestApp> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const testApp = await createTestApp(dialect, { env: { ROSTER_PUBLIC_URL: base, ...testSecretKeyEnv, ...env } });
  await testApp.app.listen({ port, host: '127.0.0.1' });
  return Object.assign(testApp, { base });
}

export interface TestApplication {
  id: string;
  clientId: string;
  secret: string | null;
  redirectUri: string;
}

export interface TestApplicationOptions {
  name?: string;
  type?: 'confidential' | 'public';
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  firstParty?: boolean;
  authorizeApi?: boolean;
  rosterApi?: boolean;
  allowedGroupIds?: string[];
}

/** An application written straight into the database (the Applications API has its own tests). */
export async function insertTestApplication(services: Services, options: TestApplicationOptions = {}): Promise<TestApplication> {
  const id = randomUUID();
  const clientId = `app_${randomBytes(12).toString('hex')}`;
  const type = options.type ?? 'confidential';
  const secret = type === 'confidential' ? `rcs_${randomBytes(20).toString('hex')}` : null;
  const redirectUris = options.redirectUris ?? ['http://127.0.0.1:9/callback'];
  const at = services.now().toISOString();
  await services.database.db
    .insertInto('applications')
    .values({
      id,
      client_id: clientId,
      name: options.name ?? 'Test app',
      type,
      redirect_uris: JSON.stringify(redirectUris),
      post_logout_redirect_uris: JSON.stringify(options.postLogoutRedirectUris ?? []),
      first_party: options.firstParty ? 1 : 0,
      authorize_api: options.authorizeApi ? 1 : 0,
      roster_api: options.rosterApi ? 1 : 0,
      restricted_to_groups: options.allowedGroupIds ? 1 : 0,
      secret_digest: secret ? createHash('sha256').update(secret).digest('hex') : null,
      previous_secret_digest: null,
      previous_secret_expires_at: null,
      created_by: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  for (const groupId of options.allowedGroupIds ?? []) {
    await services.database.db.insertInto('application_groups').values({ application_id: id, group_id: groupId }).execute();
  }
  return { id, clientId, secret, redirectUri: redirectUris[0] ?? '' };
}

/** A relying party's view of Roster: discovery over plain HTTP (loopback in tests). */
export async function discoverRoster(base: string, application: TestApplication): Promise<oidcClient.Configuration> {
  const auth = application.secret ? oidcClient.ClientSecretBasic(application.secret) : oidcClient.None();
  return oidcClient.discovery(new URL(base), application.clientId, application.secret ?? undefined, auth, {
    execute: [oidcClient.allowInsecureRequests],
  });
}

/** A cookie jar and manual redirects: just enough browser to walk the authorization flow without a window. */
export class TestBrowser {
  readonly #cookies = new Map<string, { value: string; path: string }>();
  constructor(readonly base: string) {}

  setCookie(name: string, value: string, path = '/'): void {
    this.#cookies.set(name, { value, path });
  }

  cookieHeader(url: URL): string {
    return [...this.#cookies.entries()]
      .filter(([, cookie]) => url.pathname.startsWith(cookie.path))
      .map(([name, cookie]) => `${name}=${cookie.value}`)
      .join('; ');
  }

  async fetch(target: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Response> {
    const url = new URL(target, this.base);
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(url), origin: this.base, 'sec-fetch-site': 'same-origin', ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const [name, ...rest] = (pair ?? '').split('=');
      const value = rest.join('=');
      const path =
        attributes
          .map((a) => a.trim())
          .find((a) => a.toLowerCase().startsWith('path='))
          ?.slice(5) ?? '/';
      const expired = attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
      if (!name) continue;
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, { value, path });
    }
    return response;
  }

  /** Logs in to the console like the login page does; returns the CSRF token of the session. */
  async logIn(login: string, password: string): Promise<string> {
    const response = await this.fetch('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password }),
    });
    if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { csrfToken: string };
    this.csrfToken = body.csrfToken;
    return body.csrfToken;
  }

  csrfToken = '';

  async postJson(path: string, body: unknown = {}): Promise<Response> {
    return this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': this.csrfToken },
      body: JSON.stringify(body),
    });
  }
}

export interface AuthorizationRequest {
  url: URL;
  codeVerifier: string;
  state: string;
  nonce: string;
}

export async function authorizationRequest(
  config: oidcClient.Configuration,
  application: TestApplication,
  scope = 'openid profile email roster',
  extra: Record<string, string> = {},
): Promise<AuthorizationRequest> {
  const codeVerifier = oidcClient.randomPKCECodeVerifier();
  const state = oidcClient.randomState();
  const nonce = oidcClient.randomNonce();
  const url = oidcClient.buildAuthorizationUrl(config, {
    redirect_uri: application.redirectUri,
    scope,
    code_challenge: await oidcClient.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  return { url, codeVerifier, state, nonce };
}

/**
 * Walks the browser through the provider until it is sent back to the application (a URL outside Roster) or lands on
 * the console's sign-in page for a step the test must answer. `consent: true` answers a consent step with Allow.
 */
export async function followSignIn(browser: TestBrowser, start: string, options: { consent?: boolean } = {}): Promise<URL> {
  let next = start;
  for (let hop = 0; hop < 12; hop++) {
    const url = new URL(next, browser.base);
    if (url.origin !== browser.base) return url;
    const interaction = /^\/interaction\/([^/]+)$/.exec(url.pathname);
    if (interaction) {
      const uid = interaction[1];
      const details = await browser.fetch(`/interaction/${uid}/details`);
      if (details.status !== 200) throw new Error(`details: ${details.status} ${await details.text()}`);
      const view = (await details.json()) as { prompt: string };
      const step = view.prompt === 'consent' ? (options.consent ? 'consent' : 'stop') : 'login';
      if (step === 'stop') return url;
      const answer = await browser.postJson(`/interaction/${uid}/${step}`);
      if (answer.status !== 200) throw new Error(`${step}: ${answer.status} ${await answer.text()}`);
      next = ((await answer.json()) as { redirectTo: string }).redirectTo;
      continue;
    }
    const response = await browser.fetch(url.href);
    const location = response.headers.get('location');
    if (!location) throw new Error(`no redirect from ${url.pathname}: ${response.status} ${await response.text()}`);
    next = location;
  }
  throw new Error('too many redirects');
}

/** The full code flow for a logged-in browser: returns the tokens. */
export async function signInThroughRoster(
  config: oidcClient.Configuration,
  browser: TestBrowser,
  application: TestApplication,
  options: { scope?: string; consent?: boolean; extra?: Record<string, string> } = {},
) {
  const request = await authorizationRequest(config, application, options.scope, options.extra);
  const callback = await followSignIn(browser, request.url.href, { consent: options.consent ?? true });
  const tokens = await oidcClient.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.codeVerifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  });
  return { tokens, callback, request };
}

/** A public key as the JWKS lists it. */
export interface Jwk extends JsonWebKey {
  kid: string;
  alg: string;
}

/** The JOSE header of a compact JWS (an ID token). */
export const headerOf = (jws: string) =>
  JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid: string; alg: string };

/** Checks a compact ES256 JWS against the key of its `kid` in `keys`: what a relying party does with the JWKS. */
export function verifiesAgainst(jws: string, keys: readonly Jwk[]): boolean {
  const { kid, alg } = headerOf(jws);
  const jwk = keys.find((key) => key.kid === kid);
  if (!jwk || alg !== 'ES256') return false;
  const [header, payload, signature] = jws.split('.');
  return verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature ?? '', 'base64url'),
  );
}
