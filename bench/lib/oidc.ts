import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DatabaseConfig } from '../../src/config/config.js';
import { payloadIdDigest } from '../../src/domain/oidc/provider-adapter.js';
import { type Database, openDatabase } from '../../src/storage/database.js';
import type { OidcPayloadsTable } from '../../src/storage/schema.js';
import type { WrkRequest } from './wrk.js';

/** What the relying party needs at the token endpoint, and the first real answer (its access token carries `roster:api`). */
export interface OidcBench {
  /** `count` authorization codes, valid for the provider's 60 s, as token requests: mint right before the timed run. */
  codeExchanges(count: number): Promise<WrkRequest[]>;
  /** `count` refresh tokens of the same grant, as token requests. */
  refreshExchanges(count: number): Promise<WrkRequest[]>;
  /** How many of the minted codes (or refresh tokens) the server has consumed so far: the exchanges that succeeded. */
  consumed(model: 'AuthorizationCode' | 'RefreshToken'): Promise<number>;
  /** An access token with scope `roster:api` for the bench Member, from a real code exchange (lives 10 minutes). */
  accessToken: string;
  close(): Promise<void>;
}

const scope = 'openid profile offline_access roster:api';
const redirectUri = 'http://127.0.0.1:9/callback';

/** The bench's relying party: a first-party confidential application allowed `roster:api`, written straight in. */
async function insertBenchApplication(db: Database['db']): Promise<{ clientId: string; secret: string }> {
  const clientId = `app_${randomBytes(12).toString('hex')}`;
  const secret = `rcs_${randomBytes(20).toString('hex')}`;
  const at = new Date().toISOString();
  await db
    .insertInto('applications')
    .values({
      id: randomUUID(),
      client_id: clientId,
      name: 'bench relying party',
      type: 'confidential',
      redirect_uris: JSON.stringify([redirectUri]),
      post_logout_redirect_uris: '[]',
      first_party: 1,
      authorize_api: 0,
      roster_api: 1,
      restricted_to_groups: 0,
      secret_digest: createHash('sha256').update(secret).digest('hex'),
      previous_secret_digest: null,
      previous_secret_expires_at: null,
      created_by: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return { clientId, secret };
}

/**
 * Just enough browser for the flow (tests/support/oidc.ts has the full one; bench/ does not import tests/): a cookie
 * jar, the console login, and a walk through `/oidc/auth` and the interaction steps until the redirect to the
 * application, returning its code.
 */
function benchBrowser(origin: string) {
  const cookies = new Map<string, string>();
  let csrfToken = '';
  const send = async (target: string, init: { method?: string; body?: string } = {}) => {
    const response = await fetch(new URL(target, origin), {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        origin,
        'sec-fetch-site': 'same-origin',
        'x-csrf-token': csrfToken,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const at = pair.indexOf('=');
      if (at > 0) cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  };
  return {
    async logIn(login: string, password: string) {
      const response = await send('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ login, password }) });
      if (response.status !== 200) throw new Error(`bench login failed: ${response.status} ${await response.text()}`);
      csrfToken = ((await response.json()) as { csrfToken: string }).csrfToken;
    },
    async code(authorizationUrl: string): Promise<string> {
      let next = authorizationUrl;
      for (let hop = 0; hop < 12; hop++) {
        const url = new URL(next, origin);
        if (url.origin !== origin) {
          const code = url.searchParams.get('code');
          if (!code) throw new Error(`the sign-in ended without a code: ${url.href}`);
          return code;
        }
        const interaction = /^\/interaction\/([^/]+)$/.exec(url.pathname);
        if (interaction) {
          // First-party and logged in: the only step is the login one, answered by the console session.
          const answer = await send(`/interaction/${interaction[1]}/login`, { method: 'POST', body: '{}' });
          if (answer.status !== 200) throw new Error(`login step: ${answer.status} ${await answer.text()}`);
          next = ((await answer.json()) as { redirectTo: string }).redirectTo;
          continue;
        }
        const response = await send(url.href);
        const location = response.headers.get('location');
        if (!location) throw new Error(`no redirect from ${url.pathname}: ${response.status} ${await response.text()}`);
        next = location;
      }
      throw new Error('too many redirects');
    },
  };
}

/**
 * Prepares the OIDC scenario against a running server: a first-party confidential application (no consent step, and
 * allowed `roster:api`), a browser logged in as `login`, two real sign-ins through `/oidc/auth` (the first code is
 * exchanged over HTTP: its access and refresh tokens; the second is left as it was stored). Codes and refresh tokens
 * for the timed runs are copies of those two rows exactly as the provider's adapter stores them (provider-adapter.ts:
 * id = SHA-256 of the value, the library's payload with a new `jti`), so minting thousands takes a second instead of a
 * walk through the flow each, and the server does all the work of each exchange (client authentication, PKCE, grant
 * and account lookup, ES256 ID token, new access and refresh tokens) over HTTP.
 */
export async function prepareOidcBench(
  origin: string,
  database: DatabaseConfig,
  login: { name: string; password: string },
): Promise<OidcBench> {
  const storage = openDatabase(database);
  const { db } = storage;
  const application = await insertBenchApplication(db);
  const browser = benchBrowser(origin);
  await browser.logIn(login.name, login.password);
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const basic = `Basic ${Buffer.from(`${application.clientId}:${application.secret}`).toString('base64')}`;
  const tokenRequest = (body: Record<string, string>): WrkRequest => ({
    method: 'POST',
    path: '/oidc/token',
    headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
  });
  const codeRequest = (code: string) =>
    tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });

  const signIn = async () => {
    const query = new URLSearchParams({
      client_id: application.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: randomBytes(8).toString('hex'),
      nonce: randomBytes(8).toString('hex'),
    });
    return browser.code(`/oidc/auth?${query}`);
  };
  const first = await signIn();
  const { path, headers, body } = codeRequest(first);
  const answer = await fetch(`${origin}${path}`, { method: 'POST', headers, body: body ?? '' });
  const tokens = (await answer.json()) as { access_token?: string; refresh_token?: string; id_token?: string };
  if (answer.status !== 200 || !tokens.access_token || !tokens.refresh_token)
    throw new Error(`the first code exchange failed: ${answer.status} ${JSON.stringify(tokens)}`);
  const stored = async (model: 'AuthorizationCode' | 'RefreshToken', value: string) =>
    db
      .selectFrom('oidc_payloads')
      .selectAll()
      .where('model', '=', model)
      .where('id', '=', payloadIdDigest(value))
      .executeTakeFirstOrThrow();
  const codeTemplate = await stored('AuthorizationCode', await signIn());
  const refreshTemplate = await stored('RefreshToken', tokens.refresh_token);
  const minted = { AuthorizationCode: new Set<string>(), RefreshToken: new Set<string>() };

  /** Copies of a stored row with new values; codes get a fresh 60 s life, refresh tokens keep the template's. */
  const mint = async (template: OidcPayloadsTable, count: number, freshLifeSeconds: number | null): Promise<string[]> => {
    const values = Array.from({ length: count }, () => randomBytes(32).toString('base64url'));
    const now = Math.floor(Date.now() / 1000);
    const rows = values.map((value) => {
      const payload = { ...(JSON.parse(template.payload) as Record<string, unknown>), jti: value };
      if (freshLifeSeconds !== null) Object.assign(payload, { iat: now, exp: now + freshLifeSeconds });
      return {
        ...template,
        id: payloadIdDigest(value),
        payload: JSON.stringify(payload),
        expires_at: freshLifeSeconds === null ? template.expires_at : new Date((now + freshLifeSeconds) * 1000).toISOString(),
        consumed_at: null,
      };
    });
    for (let at = 0; at < rows.length; at += 500)
      await db
        .insertInto('oidc_payloads')
        .values(rows.slice(at, at + 500))
        .execute();
    for (const row of rows) minted[template.model as keyof typeof minted].add(row.id);
    return values;
  };

  return {
    accessToken: tokens.access_token,
    codeExchanges: async (count) => (await mint(codeTemplate, count, 60)).map(codeRequest),
    refreshExchanges: async (count) =>
      (await mint(refreshTemplate, count, null)).map((refreshToken) =>
        tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }),
      ),
    consumed: async (model) => {
      const ids = [...minted[model]];
      let total = 0;
      for (let at = 0; at < ids.length; at += 500) {
        const row = await db
          .selectFrom('oidc_payloads')
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .where('model', '=', model)
          .where('id', 'in', ids.slice(at, at + 500))
          .where('consumed_at', 'is not', null)
          .executeTakeFirstOrThrow();
        total += Number(row.n);
      }
      return total;
    },
    close: () => storage.destroy(),
  };
}
