import { createHash, randomBytes } from 'node:crypto';
import type { DatabaseConfig } from '../../src/config/config.js';
import { payloadIdDigest } from '../../src/domain/oidc/provider-adapter.js';
import { openDatabase } from '../../src/storage/database.js';
import type { OidcPayloadsTable } from '../../src/storage/schema.js';
import { followSignIn, insertTestApplication, TestBrowser } from '../../tests/support/oidc.js';
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
  const application = await insertTestApplication(
    { database: storage, now: () => new Date() },
    {
      name: 'bench relying party',
      firstParty: true,
      rosterApi: true,
    },
  );
  const browser = new TestBrowser(origin);
  await browser.logIn(login.name, login.password);
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const basic = `Basic ${Buffer.from(`${application.clientId}:${application.secret ?? ''}`).toString('base64')}`;
  const tokenRequest = (body: Record<string, string>): WrkRequest => ({
    method: 'POST',
    path: '/oidc/token',
    headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
  });
  const codeRequest = (code: string) =>
    tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: application.redirectUri, code_verifier: verifier });

  const signIn = async () => {
    const query = new URLSearchParams({
      client_id: application.clientId,
      response_type: 'code',
      redirect_uri: application.redirectUri,
      scope,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: randomBytes(8).toString('hex'),
      nonce: randomBytes(8).toString('hex'),
    });
    const callback = await followSignIn(browser, `/oidc/auth?${query}`);
    const code = callback.searchParams.get('code');
    if (!code) throw new Error(`the sign-in ended without a code: ${callback.href}`);
    return code;
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
