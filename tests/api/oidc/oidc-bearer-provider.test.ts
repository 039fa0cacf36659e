import * as oidcClient from 'openid-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildApiToken, buildMember, factoryPassword } from '../../support/factories.js';
import {
  createListeningTestApp,
  discoverRoster,
  insertTestApplication,
  type ListeningTestApp,
  signInThroughRoster,
  TestBrowser,
} from '../../support/oidc.js';

/**
 * The contract of oidc-bearer.test.ts with tokens the provider itself issued (openid-client as the relying party): what
 * it stores for an access token with roster:api and for a client-credentials token is what Roster's API accepts.
 */
describeEachDatabase('OpenID Connect access tokens issued by the provider, at Roster’s API', (dialect) => {
  let roster: ListeningTestApp;
  beforeAll(async () => {
    roster = await createListeningTestApp(dialect);
  }, 60_000);
  afterAll(async () => {
    await roster?.close();
  });

  const api = (token: string, method: 'GET' | 'POST', path: string, body?: object) =>
    fetch(`${roster.base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it('accepts a signed-in person’s access token with roster:api on /me and /authorize, and only there', async () => {
    const person = await buildMember(roster, { username: 'bearer-alice' });
    const application = await insertTestApplication(roster.services, { firstParty: true, rosterApi: true, name: 'CI with API' });
    const config = await discoverRoster(roster.base, application);
    const browser = new TestBrowser(roster.base);
    await browser.logIn('bearer-alice', factoryPassword);
    const { tokens } = await signInThroughRoster(config, browser, application, { scope: 'openid profile roster:api', consent: false });
    const me = await api(tokens.access_token, 'GET', '/me');
    expect(me.status, await me.clone().text()).toBe(200);
    expect(((await me.json()) as { user: { id: string } }).user.id).toBe(person.user.id);
    const personal = await buildApiToken(roster, person.user);
    const question = { permission: 'organization.projects.create' };
    const byOidc = await api(tokens.access_token, 'POST', '/authorize', question);
    expect(byOidc.status).toBe(200);
    expect(await byOidc.json()).toEqual(await (await api(personal, 'POST', '/authorize', question)).json());
    expect((await api(tokens.access_token, 'GET', '/people')).status).toBe(401);
  });

  it('refuses a person’s access token issued without roster:api', async () => {
    await buildMember(roster, { username: 'bearer-bob' });
    const application = await insertTestApplication(roster.services, { firstParty: true, rosterApi: true, name: 'CI sign-in only' });
    const config = await discoverRoster(roster.base, application);
    const browser = new TestBrowser(roster.base);
    await browser.logIn('bearer-bob', factoryPassword);
    const { tokens } = await signInThroughRoster(config, browser, application, { scope: 'openid profile', consent: false });
    const me = await api(tokens.access_token, 'GET', '/me');
    expect(me.status).toBe(401);
    expect(((await me.json()) as { code: string }).code).toBe('invalid_token');
  });

  it('accepts a client-credentials token on /authorize about a named person, and nowhere else', async () => {
    const person = await buildMember(roster, { username: 'bearer-carol' });
    const application = await insertTestApplication(roster.services, { authorizeApi: true, redirectUris: ['https://ci-cc.example/cb'] });
    const { access_token: token } = await oidcClient.clientCredentialsGrant(await discoverRoster(roster.base, application), {
      scope: 'roster:authorize',
    });
    const answer = await api(token, 'POST', '/authorize', { permission: 'organization.projects.create', userId: person.user.id });
    expect(answer.status, await answer.clone().text()).toBe(200);
    expect(await answer.json()).toEqual({ allowed: true, reason: 'direct role Member → organization.projects.create' });
    expect((await api(token, 'POST', '/authorize', { permission: 'organization.projects.create' })).status).toBe(400);
    expect((await api(token, 'GET', '/me')).status).toBe(401);
  });
});
