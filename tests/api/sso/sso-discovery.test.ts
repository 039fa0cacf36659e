import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentityProviderLoginConfig } from '../../../src/domain/identity-providers/load-identity-provider.js';
import { discoveryCacheSeconds, ProviderDiscovery, startReuseMs } from '../../../src/domain/sso/provider-configuration.js';
import { SsoRefusal } from '../../../src/domain/sso/sso-refusal.js';
import { TestClock } from '../../support/clock.js';
import { describeEachDatabase } from '../../support/databases.js';
import { createListeningTestApp, type ListeningTestApp, TestBrowser } from '../../support/oidc.js';
import { startUpstreamIdp, type UpstreamIdp } from '../../support/upstream-idp.js';
import { expectLanded, registerProvider, ssoLogin, unique, whoAmI } from './support.js';

// docs/sso.md#how-roster-talks-to-the-provider: a login start asks the provider for its discovery document (so that a
// provider that is down is said at once), starts within a second of it share that fetch, and the callback uses what
// the start fetched.

const discoveryPath = '/.well-known/openid-configuration';
const discoveriesOf = (idp: UpstreamIdp, issuerPath = '') => idp.requests.filter((path) => path === `${issuerPath}${discoveryPath}`).length;

describeEachDatabase('SSO: the provider’s discovery', (dialect) => {
  let roster: ListeningTestApp;
  let idp: UpstreamIdp;

  beforeAll(async () => {
    roster = await createListeningTestApp(dialect);
    idp = await startUpstreamIdp();
  });
  afterAll(async () => {
    await idp?.close();
    await roster?.close();
  });

  const account = (login: string) =>
    idp.accounts.set(login, { sub: `sub-${login}`, email: `${login}@corp.example`, email_verified: true, preferred_username: login });

  it('fetches the discovery document once per login: at the start, not again at the callback', async () => {
    const provider = await registerProvider(roster, idp, { createUnknown: true });
    const before = discoveriesOf(idp);
    for (const login of [unique('ada'), unique('bob'), unique('cyd')]) {
      roster.clock.advance(startReuseMs);
      account(login);
      const { browser, landed } = await ssoLogin(roster, idp, provider.id, login);
      expectLanded(landed, '/');
      expect((await whoAmI(browser)).username).toBe(login);
    }
    // Three starts, a second apart on the app's clock, and three callbacks (each with a token exchange at the provider): three
    // discoveries, not six.
    expect(discoveriesOf(idp) - before).toBe(3);
  });

  it('lets starts that arrive at the same moment share one discovery', async () => {
    const provider = await registerProvider(roster, idp, { createUnknown: true });
    const before = discoveriesOf(idp);
    const starts = await Promise.all(Array.from({ length: 8 }, () => new TestBrowser(roster.base).fetch(`/auth/sso/${provider.id}/start`)));
    for (const start of starts) {
      expect(start.status).toBe(302);
      expect(new URL(start.headers.get('location') ?? '', roster.base).origin).toBe(idp.issuer);
    }
    expect(discoveriesOf(idp) - before).toBe(1);
  });
});

describe('ProviderDiscovery', () => {
  let idp: UpstreamIdp;
  beforeAll(async () => {
    idp = await startUpstreamIdp();
  });
  afterAll(async () => {
    await idp?.close();
  });

  const providerAt = (issuer: string, clientSecret = idp.clientSecret) =>
    ({ id: unique('provider'), issuer, clientId: idp.clientId, clientSecret }) as IdentityProviderLoginConfig;

  it(`lets a callback reuse the start's discovery for ${discoveryCacheSeconds} seconds; a start always asks`, async () => {
    const clock = new TestClock();
    const discovery = new ProviderDiscovery(clock.now);
    const provider = providerAt(idp.issuer);
    const before = discoveriesOf(idp);
    const started = await discovery.configurationOf(provider, 'start');
    clock.advance(discoveryCacheSeconds * 1000 - 1);
    expect(await discovery.configurationOf(provider, 'callback')).toBe(started);
    expect(discoveriesOf(idp) - before).toBe(1);
    clock.advance(1);
    const later = await discovery.configurationOf(provider, 'callback');
    expect(later).not.toBe(started);
    expect(later.serverMetadata().issuer).toBe(idp.issuer);
    expect(discoveriesOf(idp) - before).toBe(2);
    // A start takes only what a start began less than a second ago: it asks the provider whether it is there.
    clock.advance(startReuseMs);
    const restarted = await discovery.configurationOf(provider, 'start');
    expect(restarted).not.toBe(later);
    expect(discoveriesOf(idp) - before).toBe(3);
    clock.advance(startReuseMs - 1);
    expect(await discovery.configurationOf(provider, 'start')).toBe(restarted);
    expect(discoveriesOf(idp) - before).toBe(3);
  });

  it('discovers again for a callback once the client secret changed in Roster', async () => {
    const discovery = new ProviderDiscovery(new TestClock().now);
    const provider = providerAt(idp.issuer);
    const before = discoveriesOf(idp);
    const started = await discovery.configurationOf(provider, 'start');
    const replaced = await discovery.configurationOf({ ...provider, clientSecret: `${provider.clientSecret}-new` }, 'callback');
    expect(replaced).not.toBe(started);
    expect(discoveriesOf(idp) - before).toBe(2);
  });

  it('keeps no failed discovery: the next callback asks again', async () => {
    const discovery = new ProviderDiscovery(new TestClock().now);
    // An issuer under which the provider has no document: it answers 404 at <issuer>/.well-known/openid-configuration.
    const provider = providerAt(`${idp.issuer}/nothing-here`);
    for (let attempt = 1; attempt <= 2; attempt++) {
      const refusal = await discovery.configurationOf(provider, 'callback').catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(SsoRefusal);
      expect((refusal as SsoRefusal).code).toBe('provider_unavailable');
      expect(discoveriesOf(idp, '/nothing-here')).toBe(attempt);
    }
  });
});
