import * as oidcClient from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase, postgresAdminUrl, postgresSkipReason } from '../../support/databases.js';
import { buildMember, buildUser, factoryPassword } from '../../support/factories.js';
import {
  authorizationRequest,
  createListeningTestApp,
  discoverRoster,
  followSignIn,
  insertTestApplication,
  type ListeningTestApp,
  signInThroughRoster,
  TestBrowser,
} from '../../support/oidc.js';
import { loginAs } from '../../support/session.js';

describeEachDatabase('OpenID Connect provider: the code flow', (dialect) => {
  let roster: ListeningTestApp;
  beforeAll(async () => {
    roster = await createListeningTestApp(dialect);
  }, 60_000);
  afterAll(async () => {
    await roster?.close();
  });

  it('serves discovery at the issuer with code flow, PKCE S256 and no implicit or password grant', async () => {
    const response = await fetch(`${roster.base}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const discovery = (await response.json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(roster.base);
    expect(discovery.authorization_endpoint).toBe(`${roster.base}/oidc/auth`);
    expect(discovery.response_types_supported).toEqual(['code']);
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    expect(discovery.grant_types_supported).not.toContain('password');
    expect(discovery.grant_types_supported).not.toContain('implicit');
    expect(discovery.id_token_signing_alg_values_supported).toEqual(['ES256', 'RS256']);
    expect(discovery.token_endpoint_auth_methods_supported).not.toContain('client_secret_jwt');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('signs a logged-in person in to a first-party application without a consent screen, with Roster claims', async () => {
    const person = await buildMember(roster, { username: 'flow-alice' });
    const application = await insertTestApplication(roster.services, { firstParty: true, name: 'CI server' });
    const config = await discoverRoster(roster.base, application);
    const browser = new TestBrowser(roster.base);
    await browser.logIn('flow-alice', factoryPassword);
    const { tokens, callback } = await signInThroughRoster(config, browser, application, { consent: false });
    expect(callback.origin + callback.pathname).toBe(application.redirectUri);
    const claims = tokens.claims();
    expect(claims?.sub).toBe(person.user.id);
    expect(claims?.preferred_username).toBe('flow-alice');
    expect(claims?.roster_role).toBe('member');
    expect(claims?.groups).toEqual([]);
    expect(claims?.email_verified).toBe(false);
    const userinfo = await oidcClient.fetchUserInfo(config, tokens.access_token, person.user.id);
    expect(userinfo.preferred_username).toBe('flow-alice');
    // The provider's requests are logged like every other route's, and no code or token reaches the log.
    const entries = roster.logs
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { reqId?: string; msg?: string; req?: { url?: string }; res?: { statusCode?: number } });
    const tokenRequest = entries.find((entry) => entry.msg === 'incoming request' && entry.req?.url === '/oidc/token');
    const completed = entries.filter((entry) => entry.msg === 'request completed' && entry.reqId === tokenRequest?.reqId);
    expect(completed.map((entry) => entry.res?.statusCode)).toEqual([200]);
    const code = callback.searchParams.get('code') as string;
    for (const secret of [code, tokens.access_token, tokens.id_token as string]) expect(roster.logs.join('\n')).not.toContain(secret);
  });
});

describeEachDatabase('OpenID Connect provider: consent, codes, refresh tokens, revocation', (dialect) => {
  let roster: ListeningTestApp;
  beforeAll(async () => {
    roster = await createListeningTestApp(dialect);
  }, 60_000);
  afterAll(async () => {
    await roster?.close();
  });

  async function loggedIn(username: string) {
    const person = await buildMember(roster, { username });
    const browser = new TestBrowser(roster.base);
    await browser.logIn(username, factoryPassword);
    return { person, browser };
  }

  const auditActions = async () =>
    (await roster.services.database.db.selectFrom('audit_events').select(['action', 'actor_type', 'details']).orderBy('seq').execute()).map(
      (event) => event.action,
    );

  /** A person signed in to a new first-party application with a refresh token (`offline_access`). */
  async function signedInWithRefreshToken(username: string) {
    const { browser } = await loggedIn(username);
    const application = await insertTestApplication(roster.services, { firstParty: true });
    const config = await discoverRoster(roster.base, application);
    const { tokens } = await signInThroughRoster(config, browser, application, {
      scope: 'openid offline_access',
      extra: { prompt: 'consent' },
    });
    return { config, tokens };
  }

  it('asks a third-party application for consent once, remembers it, and audits both', async () => {
    const { person, browser } = await loggedIn('consent-bob');
    const application = await insertTestApplication(roster.services, { name: 'Dashboard', redirectUris: ['https://dashboard.example/cb'] });
    const config = await discoverRoster(roster.base, application);
    const first = await authorizationRequest(config, application);
    const stopped = await followSignIn(browser, first.url.href, { consent: false });
    expect(stopped.pathname).toMatch(/^\/interaction\//);
    const details = (await (await browser.fetch(`${stopped.pathname}/details`)).json()) as Record<string, unknown>;
    expect(details).toMatchObject({
      prompt: 'consent',
      application: { name: 'Dashboard', firstParty: false },
      account: { username: 'consent-bob' },
    });
    expect(details.scopes).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'roster']));
    const allowed = await browser.postJson(`${stopped.pathname}/consent`);
    expect(allowed.status).toBe(200);
    const callback = await followSignIn(browser, ((await allowed.json()) as { redirectTo: string }).redirectTo);
    expect(callback.origin).toBe('https://dashboard.example');
    expect(callback.searchParams.get('code')).toBeTruthy();
    const consents = await roster.services.database.db
      .selectFrom('oidc_consents')
      .selectAll()
      .where('user_id', '=', person.user.id)
      .execute();
    expect(consents).toHaveLength(1);
    // A new provider session (another browser of the same person) is not asked again.
    const second = new TestBrowser(roster.base);
    await second.logIn('consent-bob', factoryPassword);
    const again = await authorizationRequest(config, application);
    const direct = await followSignIn(second, again.url.href, { consent: false });
    expect(direct.origin).toBe('https://dashboard.example');
    await expect.poll(auditActions).toEqual(expect.arrayContaining(['oidc.consent_given', 'oidc.authorized']));
  });

  it('sends Deny back to the application as access_denied', async () => {
    const { browser } = await loggedIn('deny-carol');
    const application = await insertTestApplication(roster.services, { redirectUris: ['https://deny.example/cb'] });
    const config = await discoverRoster(roster.base, application);
    const request = await authorizationRequest(config, application);
    const stopped = await followSignIn(browser, request.url.href, { consent: false });
    const denied = await browser.postJson(`${stopped.pathname}/abort`);
    const back = await followSignIn(browser, ((await denied.json()) as { redirectTo: string }).redirectTo);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('code')).toBeNull();
  });

  it('redeems a code once: a replay fails with invalid_grant and revokes the tokens of the first redemption', async () => {
    const { browser } = await loggedIn('replay-dave');
    const application = await insertTestApplication(roster.services, { firstParty: true });
    const config = await discoverRoster(roster.base, application);
    const request = await authorizationRequest(config, application);
    const callback = await followSignIn(browser, request.url.href);
    const checks = { pkceCodeVerifier: request.codeVerifier, expectedState: request.state, expectedNonce: request.nonce };
    const tokens = await oidcClient.authorizationCodeGrant(config, callback, checks);
    await expect(oidcClient.authorizationCodeGrant(config, callback, checks)).rejects.toMatchObject({ error: 'invalid_grant' });
    const introspected = await oidcClient.tokenIntrospection(config, tokens.access_token);
    expect(introspected.active).toBe(false);
  });

  it('refuses two redemptions of one code at the same moment: exactly one gets tokens, and the grant is revoked', async () => {
    const { browser } = await loggedIn('race-erin');
    const application = await insertTestApplication(roster.services, { firstParty: true });
    const config = await discoverRoster(roster.base, application);
    const request = await authorizationRequest(config, application);
    const callback = await followSignIn(browser, request.url.href);
    const checks = { pkceCodeVerifier: request.codeVerifier, expectedState: request.state, expectedNonce: request.nonce };
    const results = await Promise.allSettled([0, 1, 2, 3].map(() => oidcClient.authorizationCodeGrant(config, callback, checks)));
    const granted = results.filter((result) => result.status === 'fulfilled');
    expect(granted.length).toBeLessThanOrEqual(1);
    for (const result of results.filter((r) => r.status === 'rejected'))
      expect((result as PromiseRejectedResult).reason).toMatchObject({ error: 'invalid_grant' });
    const [winner] = granted as PromiseFulfilledResult<Awaited<ReturnType<typeof oidcClient.authorizationCodeGrant>>>[];
    if (winner) expect((await oidcClient.tokenIntrospection(config, winner.value.access_token)).active).toBe(false);
  });

  it('rotates refresh tokens; reusing an old one revokes the whole grant and is audited', async () => {
    const { config, tokens } = await signedInWithRefreshToken('refresh-frank');
    const first = tokens.refresh_token;
    expect(first).toBeTruthy();
    const rotated = await oidcClient.refreshTokenGrant(config, first as string);
    expect(rotated.refresh_token).toBeTruthy();
    expect(rotated.refresh_token).not.toBe(first);
    await expect(oidcClient.refreshTokenGrant(config, first as string)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidcClient.refreshTokenGrant(config, rotated.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidcClient.tokenIntrospection(config, rotated.access_token)).active).toBe(false);
    await expect.poll(auditActions).toContain('oidc.refresh_reuse_detected');
  });

  it('refuses four uses of one refresh token at the same moment: at most one is answered, and the grant is revoked', async () => {
    const { config, tokens } = await signedInWithRefreshToken('race-rita');
    const refreshToken = tokens.refresh_token as string;
    const reuses = async () => (await auditActions()).filter((action) => action === 'oidc.refresh_reuse_detected').length;
    const reusesBefore = await reuses();
    const results = await Promise.allSettled([0, 1, 2, 3].map(() => oidcClient.refreshTokenGrant(config, refreshToken)));
    const answered = results.filter((result) => result.status === 'fulfilled');
    expect(answered.length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => r.status === 'rejected').length).toBeGreaterThanOrEqual(3);
    for (const result of results.filter((r) => r.status === 'rejected'))
      expect((result as PromiseRejectedResult).reason).toMatchObject({ error: 'invalid_grant' });
    // Whoever replayed may hold the answer: the whole grant is gone, the first access token included.
    expect((await oidcClient.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    const [winner] = answered as PromiseFulfilledResult<Awaited<ReturnType<typeof oidcClient.refreshTokenGrant>>>[];
    if (winner) {
      expect((await oidcClient.tokenIntrospection(config, winner.value.access_token)).active).toBe(false);
      await expect(oidcClient.refreshTokenGrant(config, winner.value.refresh_token as string)).rejects.toMatchObject({
        error: 'invalid_grant',
      });
    }
    await expect.poll(reuses).toBeGreaterThan(reusesBefore);
  });

  it('ends a refresh token without offline_access when the person logs out of Roster, and keeps one with it', async () => {
    const { browser } = await loggedIn('logout-jill');
    const application = await insertTestApplication(roster.services, { firstParty: true });
    const config = await discoverRoster(roster.base, application);
    const session = await signInThroughRoster(config, browser, application, { scope: 'openid profile' });
    // OpenID Connect Core §11: offline_access only with prompt=consent (the person sees the consent screen, even for a
    // first-party application).
    const offline = await signInThroughRoster(config, browser, application, {
      scope: 'openid offline_access',
      extra: { prompt: 'consent' },
    });
    expect(session.tokens.refresh_token).toBeTruthy();
    const loggedOut = await browser.postJson('/api/v1/auth/logout');
    expect(loggedOut.status).toBe(204);
    await expect(oidcClient.refreshTokenGrant(config, session.tokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect((await oidcClient.refreshTokenGrant(config, offline.tokens.refresh_token as string)).access_token).toBeTruthy();
  });

  it('answers introspection with active: false the moment the person is removed', async () => {
    const { person, browser } = await loggedIn('removed-gina');
    const application = await insertTestApplication(roster.services, { firstParty: true });
    const config = await discoverRoster(roster.base, application);
    const { tokens } = await signInThroughRoster(config, browser, application);
    expect((await oidcClient.tokenIntrospection(config, tokens.access_token)).active).toBe(true);
    await roster.services.database.db
      .updateTable('users')
      .set({ status: 'removed', removed_at: roster.clock.now().toISOString() })
      .where('id', '=', person.user.id)
      .execute();
    expect((await oidcClient.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
  });

  it('lets a client introspect only its own tokens, and revoke them', async () => {
    const { browser } = await loggedIn('introspect-hal');
    const mine = await insertTestApplication(roster.services, { firstParty: true });
    const other = await insertTestApplication(roster.services, { firstParty: true });
    const config = await discoverRoster(roster.base, mine);
    const otherConfig = await discoverRoster(roster.base, other);
    const { tokens } = await signInThroughRoster(config, browser, mine);
    expect((await oidcClient.tokenIntrospection(otherConfig, tokens.access_token)).active).toBe(false);
    await oidcClient.tokenRevocation(config, tokens.access_token);
    expect((await oidcClient.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    await expect.poll(auditActions).toContain('oidc.token_revoked');
  });

  it('refuses a public client without PKCE, an unregistered redirect URI and a wrong client secret', async () => {
    const publicApp = await insertTestApplication(roster.services, {
      type: 'public',
      firstParty: true,
      redirectUris: ['https://spa.example/cb'],
    });
    const withoutPkce = new URL(`${roster.base}/oidc/auth`);
    withoutPkce.search = new URLSearchParams({
      client_id: publicApp.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: publicApp.redirectUri,
      state: 's',
    }).toString();
    const refused = await fetch(withoutPkce, { redirect: 'manual' });
    const location = new URL(refused.headers.get('location') ?? '', roster.base);
    expect(location.origin).toBe('https://spa.example');
    expect(location.searchParams.get('error')).toBe('invalid_request');

    const wrongRedirect = new URL(`${roster.base}/oidc/auth`);
    wrongRedirect.search = new URLSearchParams({
      client_id: publicApp.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: 'https://spa.example/cb/extra',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString();
    const page = await fetch(wrongRedirect, { redirect: 'manual' });
    expect(page.status).toBe(400);
    expect(page.headers.get('location')).toBeNull();
    expect(await page.text()).toContain('redirect_uri');

    const confidential = await insertTestApplication(roster.services, { firstParty: true });
    const wrong = await discoverRoster(roster.base, { ...confidential, secret: 'rcs_not-the-secret' });
    await expect(oidcClient.clientCredentialsGrant(wrong, { scope: 'openid' })).rejects.toMatchObject({
      status: 401,
      cause: [expect.objectContaining({ parameters: expect.objectContaining({ error: 'invalid_client' }) })],
    });
  });

  it('admits only members of the allowed groups', async () => {
    const { browser } = await loggedIn('outsider-ivy');
    const owner = await loginAs(roster.app, roster.owner.user.username, factoryPassword);
    const group = (await owner.post('/api/v1/groups', { name: 'release-team' })).json() as { id: string };
    const application = await insertTestApplication(roster.services, { firstParty: true, allowedGroupIds: [group.id] });
    const config = await discoverRoster(roster.base, application);
    const request = await authorizationRequest(config, application);
    const back = await followSignIn(browser, request.url.href);
    expect(back.searchParams.get('error')).toBe('access_denied');
  });

  it('issues client-credentials tokens with roster:authorize only to authorizeApi applications', async () => {
    const trusted = await insertTestApplication(roster.services, { authorizeApi: true, redirectUris: ['https://ci.example/cb'] });
    const plain = await insertTestApplication(roster.services, { redirectUris: ['https://plain.example/cb'] });
    const token = await oidcClient.clientCredentialsGrant(await discoverRoster(roster.base, trusted), { scope: 'roster:authorize' });
    expect(token.scope).toBe('roster:authorize');
    const issued = await roster.services.database.db
      .selectFrom('audit_events')
      .select(['actor_type', 'actor_id'])
      .where('action', '=', 'oidc.client_credentials_issued')
      .execute();
    expect(issued).toContainEqual({ actor_type: 'application', actor_id: trusted.id });
    await expect(
      oidcClient.clientCredentialsGrant(await discoverRoster(roster.base, plain), { scope: 'roster:authorize' }),
    ).rejects.toMatchObject({
      error: expect.stringMatching(/^(unauthorized_client|invalid_request)$/),
    });
  });
});

describeEachDatabase('OpenID Connect provider: secrets, keys and restricted sessions', (dialect) => {
  let roster: ListeningTestApp;
  beforeAll(async () => {
    roster = await createListeningTestApp(dialect);
  }, 60_000);
  afterAll(async () => {
    await roster?.close();
  });

  it('keeps its signing and cookie keys encrypted at rest, ES256 first in the JWKS', async () => {
    const jwks = (await (await fetch(`${roster.base}/oidc/jwks`)).json()) as { keys: Array<{ kid: string; alg: string; d?: string }> };
    expect(jwks.keys.map((key) => key.alg)).toEqual(['ES256', 'RS256']);
    expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
    const stored = await roster.services.database.db.selectFrom('oidc_keys').select(['id', 'use', 'secret']).execute();
    expect(stored.map((row) => row.use).sort()).toEqual(['cookie', 'signing', 'signing']);
    for (const row of stored) {
      expect(row.secret).toMatch(/^v1\./);
      expect(row.secret).not.toContain('"d"');
    }
  });

  it('accepts the previous client secret for 24 hours after a rotation, then only the new one', async () => {
    const owner = await loginAs(roster.app, roster.owner.user.username, factoryPassword);
    const created = await owner.post('/api/v1/applications', {
      name: 'Rotating CI',
      type: 'confidential',
      redirectUris: ['https://rotating.example/cb'],
      authorizeApi: true,
    });
    expect(created.statusCode).toBe(201);
    const { application, clientSecret: first } = created.json() as { application: { id: string; clientId: string }; clientSecret: string };
    const rotated = await owner.post(`/api/v1/applications/${application.id}/secret`);
    const second = (rotated.json() as { clientSecret: string }).clientSecret;
    const asApp = (secret: string) =>
      discoverRoster(roster.base, {
        id: application.id,
        clientId: application.clientId,
        secret,
        redirectUri: 'https://rotating.example/cb',
      }).then((config) => oidcClient.clientCredentialsGrant(config, { scope: 'roster:authorize' }));
    expect((await asApp(first)).access_token).toBeTruthy();
    expect((await asApp(second)).access_token).toBeTruthy();
    roster.clock.advance(24 * 60 * 60 * 1000 + 60_000);
    await expect(asApp(first)).rejects.toMatchObject({ status: 401 });
    expect((await asApp(second)).access_token).toBeTruthy();
  });

  it('sends a person who must change a temporary password to finish that first', async () => {
    await buildUser(roster, { username: 'temporary-kim', mustChangePassword: true });
    const application = await insertTestApplication(roster.services, { firstParty: true });
    const config = await discoverRoster(roster.base, application);
    const browser = new TestBrowser(roster.base);
    await browser.logIn('temporary-kim', factoryPassword);
    const request = await authorizationRequest(config, application);
    const first = await browser.fetch(request.url.href);
    const interaction = new URL(first.headers.get('location') ?? '', roster.base).pathname;
    const details = (await (await browser.fetch(`${interaction}/details`)).json()) as { restricted: string; account: { username: string } };
    expect(details).toMatchObject({ restricted: 'password_change', account: { username: 'temporary-kim' } });
    const refused = await browser.postJson(`${interaction}/login`);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('password_change_required');
  });

  it('binds a sign-in to the browser that started it: another browser with the uid finds nothing', async () => {
    await buildMember(roster, { username: 'other-browser-lee' });
    const application = await insertTestApplication(roster.services, { firstParty: true });
    const config = await discoverRoster(roster.base, application);
    const victim = new TestBrowser(roster.base);
    const request = await authorizationRequest(config, application);
    const started = await victim.fetch(request.url.href);
    const interaction = new URL(started.headers.get('location') ?? '', roster.base).pathname;
    const attacker = new TestBrowser(roster.base);
    await attacker.logIn('other-browser-lee', factoryPassword);
    const stolen = await attacker.postJson(`${interaction}/login`);
    expect(stolen.status).toBe(404);
    expect(((await stolen.json()) as { code: string }).code).toBe('interaction_not_found');
  });
});

if (!postgresAdminUrl) console.warn(postgresSkipReason);
describe.skipIf(!postgresAdminUrl)('OpenID Connect provider without a secret key [postgres]', () => {
  it('refuses to start the provider with a clear message instead of creating keys no other node can read', async () => {
    const roster = await createListeningTestApp('postgres', { ROSTER_SECRET_KEY: '' });
    try {
      const response = await fetch(`${roster.base}/.well-known/openid-configuration`);
      expect(response.status).toBe(503);
      const problem = (await response.json()) as { code: string; detail: string };
      expect(problem.code).toBe('secret_key_missing');
      expect(problem.detail).toContain('ROSTER_SECRET_KEY');
      expect(await roster.services.database.db.selectFrom('oidc_keys').select('id').execute()).toEqual([]);
    } finally {
      await roster.close();
    }
  });
});
