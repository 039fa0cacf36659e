import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildAdmin, buildMember, buildOwner, factoryPassword } from '../../support/factories.js';
import { enableTotp, totpCode } from '../../support/mfa.js';
import { createListeningTestApp, freePort, type ListeningTestApp, TestBrowser } from '../../support/oidc.js';
import { startUpstreamIdp, type UpstreamIdp } from '../../support/upstream-idp.js';
import { auditOf, detailsOf, expectLanded, ownerApi, registerProvider, ssoLogin, unique, walk, whoAmI } from './support.js';

// SPEC §12.2 (docs/sso.md): logging in with the company's identity provider, against a real oidc-provider started in
// this process, over real HTTP, on both databases.

describeEachDatabase('SSO login: who gets in', (dialect) => {
  let roster: ListeningTestApp;
  let idp: UpstreamIdp;
  let provider: { id: string; label: string };

  beforeAll(async () => {
    roster = await createListeningTestApp(dialect);
    idp = await startUpstreamIdp();
    provider = await registerProvider(roster, idp, { createUnknown: true, linkVerifiedEmail: true });
  });
  afterAll(async () => {
    await idp?.close();
    await roster?.close();
  });

  const account = (login: string, claims: Record<string, unknown> = {}) => {
    const sub = `sub-${unique(login)}`;
    idp.accounts.set(login, { sub, email: `${login}@corp.example`, email_verified: true, preferred_username: login, ...claims });
    return sub;
  };

  it('creates a Member at the first login, with the username claim, and logs them in', async () => {
    const login = unique('alice');
    account(login);
    const { browser, landed } = await ssoLogin(roster, idp, provider.id, login);
    expectLanded(landed, '/');
    const me = await whoAmI(browser);
    expect(me).toMatchObject({ status: 200, username: login });
    const row = await roster.services.database.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', me.id ?? '')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ role: 'member', email: `${login}@corp.example`, must_change_password: 0 });
    // No password: people created by SSO log in only through their provider.
    const credential = await roster.services.database.db
      .selectFrom('credentials')
      .select('user_id')
      .where('user_id', '=', row.id)
      .execute();
    expect(credential).toEqual([]);
    const created = (await auditOf(roster, 'user.created')).filter((e) => e.target_id === row.id);
    expect(created).toHaveLength(1);
    expect(detailsOf(created[0] as never)).toMatchObject({ via: 'sso', identityProvider: { id: provider.id } });
    const logins = (await auditOf(roster, 'auth.sso_login')).filter((e) => e.target_id === row.id);
    expect(logins).toHaveLength(1);
    expect(detailsOf(logins[0] as never)).toMatchObject({
      identityProvider: { id: provider.id, label: provider.label },
      mfaByProvider: false,
    });
  });

  it('gives a taken username a suffix, and infers one from the email when the claim is missing', async () => {
    const taken = await buildMember(roster, { username: unique('bob') });
    account('bob-login', { preferred_username: taken.user.username, email: `other-${taken.user.username}@corp.example` });
    const first = await ssoLogin(roster, idp, provider.id, 'bob-login');
    expect(await whoAmI(first.browser)).toMatchObject({ status: 200, username: `${taken.user.username}-2` });

    const local = unique('carol');
    account('carol-login', { preferred_username: undefined, email: `${local}+sso@corp.example` });
    const second = await ssoLogin(roster, idp, provider.id, 'carol-login');
    expect(await whoAmI(second.browser)).toMatchObject({ status: 200, username: local });
  });

  it('refuses unknown people when creation is off (not_registered), and audits the refusal', async () => {
    const closedProvider = await registerProvider(roster, idp, { createUnknown: false });
    account('dave');
    const { browser, landed } = await ssoLogin(roster, idp, closedProvider.id, 'dave');
    expectLanded(landed, '/login', { sso_error: 'not_registered' });
    expect((await whoAmI(browser)).status).toBe(401);
    const failures = (await auditOf(roster, 'auth.sso_login_failed')).map(detailsOf);
    expect(failures).toContainEqual(
      expect.objectContaining({ reason: 'not_registered', identityProvider: expect.objectContaining({ id: closedProvider.id }) }),
    );
  });

  it('links a Member without 2FA automatically on a verified matching email', async () => {
    const member = await buildMember(roster);
    account('erin', { email: member.user.email.toUpperCase(), preferred_username: 'someone-else' });
    const { browser } = await ssoLogin(roster, idp, provider.id, 'erin');
    expect(await whoAmI(browser)).toMatchObject({ status: 200, id: member.user.id });
    const linked = (await auditOf(roster, 'sso.linked')).filter((e) => e.target_id === member.user.id);
    expect(linked.map(detailsOf)).toEqual([expect.objectContaining({ via: 'verified_email' })]);
  });

  it('never links on an unverified email, nor an Admin or a person with 2FA (email_taken)', async () => {
    const member = await buildMember(roster);
    account('frank', { email: member.user.email, email_verified: false });
    expectLanded((await ssoLogin(roster, idp, provider.id, 'frank')).landed, '/login', { sso_error: 'email_taken' });
    // A string "true" is no verification either.
    account('frank2', { email: member.user.email, email_verified: 'true' });
    expectLanded((await ssoLogin(roster, idp, provider.id, 'frank2')).landed, '/login', { sso_error: 'email_taken' });

    const admin = await buildAdmin(roster);
    account('grace', { email: admin.user.email });
    expectLanded((await ssoLogin(roster, idp, provider.id, 'grace')).landed, '/login', { sso_error: 'email_taken' });

    const withTotp = await enableTotp(roster, await buildMember(roster));
    account('heidi', { email: withTotp.user.email });
    expectLanded((await ssoLogin(roster, idp, provider.id, 'heidi')).landed, '/login', { sso_error: 'email_taken' });

    const links = await roster.services.database.db
      .selectFrom('user_identities')
      .select('user_id')
      .where('user_id', 'in', [member.user.id, admin.user.id, withTotp.user.id])
      .execute();
    expect(links).toEqual([]);
    const reasons = (await auditOf(roster, 'auth.sso_login_failed')).map((e) => detailsOf(e).reason);
    expect(reasons).toEqual(expect.arrayContaining(['email_taken: email_unverified', 'email_taken: not_a_member', 'email_taken: has_2fa']));
  });

  it('knows a linked person by (provider, sub) even after their email changed at the provider', async () => {
    const login = unique('ivan');
    account(login);
    const first = await ssoLogin(roster, idp, provider.id, login);
    const me = await whoAmI(first.browser);
    const changed = idp.accounts.get(login);
    if (changed) changed.email = `${login}-renamed@corp.example`;
    const second = await ssoLogin(roster, idp, provider.id, login);
    expect(await whoAmI(second.browser)).toMatchObject({ status: 200, id: me.id });
    const link = await roster.services.database.db
      .selectFrom('user_identities')
      .selectAll()
      .where('user_id', '=', me.id ?? '')
      .executeTakeFirstOrThrow();
    expect(link.email).toBe(`${login}-renamed@corp.example`);
    expect(link.last_login_at).not.toBeNull();
  });

  it('refuses a removed person (account_removed)', async () => {
    const login = unique('judy');
    account(login);
    const { browser } = await ssoLogin(roster, idp, provider.id, login);
    const me = await whoAmI(browser);
    const api = await ownerApi(roster);
    const removal = await api('DELETE', `/api/v1/people/${me.id}`);
    expect(removal.status, removal.body).toBe(204);
    expectLanded((await ssoLogin(roster, idp, provider.id, login)).landed, '/login', { sso_error: 'account_removed' });
  });

  it('refuses a person whose Roster account is locked (account_locked) until the lock ends', async () => {
    const login = unique('lock');
    account(login);
    const { browser } = await ssoLogin(roster, idp, provider.id, login);
    const me = await whoAmI(browser);
    const until = new Date(roster.clock.now().getTime() + 60_000).toISOString();
    await roster.services.database.db
      .updateTable('users')
      .set({ locked_until: until })
      .where('id', '=', me.id ?? '')
      .execute();
    expectLanded((await ssoLogin(roster, idp, provider.id, login)).landed, '/login', { sso_error: 'account_locked' });
    roster.clock.advance(61_000);
    expectLanded((await ssoLogin(roster, idp, provider.id, login)).landed, '/');
  });

  it('adds and removes mapped group memberships at each login; an absent groups claim leaves them alone', async () => {
    const api = await ownerApi(roster);
    const platform = (await api('POST', '/api/v1/groups', { name: unique('platform') })).json() as { id: string };
    const ops = (await api('POST', '/api/v1/groups', { name: unique('ops') })).json() as { id: string };
    const unmapped = (await api('POST', '/api/v1/groups', { name: unique('unmapped') })).json() as { id: string };
    const mapped = await registerProvider(roster, idp, {
      groupMappings: [
        { value: 'platform-team', groupId: platform.id },
        { value: 'ops-team', groupId: ops.id },
      ],
    });
    const login = unique('kim');
    account(login, { groups: ['platform-team', 'ops-team', 'other'] });
    const first = await ssoLogin(roster, idp, mapped.id, login);
    const me = await whoAmI(first.browser);
    const groupsOf = async () =>
      (
        await roster.services.database.db
          .selectFrom('group_members')
          .select('group_id')
          .where('user_id', '=', me.id ?? '')
          .execute()
      )
        .map((r) => r.group_id)
        .sort();
    expect(await groupsOf()).toEqual([platform.id, ops.id].sort());
    // A manual membership of a group the provider does not map is not the provider's.
    expect((await api('PUT', `/api/v1/groups/${unmapped.id}/members/${me.id}`)).status).toBe(200);

    const kim = idp.accounts.get(login);
    if (kim) kim.groups = ['ops-team'];
    await ssoLogin(roster, idp, mapped.id, login);
    expect(await groupsOf()).toEqual([ops.id, unmapped.id].sort());
    const removed = (await auditOf(roster, 'group.member_removed')).filter((e) => detailsOf(e).userId === me.id);
    expect(removed.map((e) => ({ group: e.target_id, actor: e.actor_type, via: detailsOf(e).via }))).toEqual([
      { group: platform.id, actor: 'system', via: 'sso' },
    ]);

    if (kim) delete kim.groups;
    await ssoLogin(roster, idp, mapped.id, login);
    expect(await groupsOf()).toEqual([ops.id, unmapped.id].sort());
  });

  it('lands on a console path given as returnTo, never on another origin', async () => {
    const login = unique('leo');
    account(login);
    expectLanded((await ssoLogin(roster, idp, provider.id, login, '/interaction/abc123')).landed, '/interaction/abc123');
    const evil = await ssoLogin(roster, idp, provider.id, login, '//evil.example/steal');
    expect(evil.landed.origin).toBe(roster.base);
    expectLanded(evil.landed, '/');
    const scheme = await ssoLogin(roster, idp, provider.id, login, 'https://evil.example/');
    expectLanded(scheme.landed, '/');
  });

  it("logs in through the provider's own login form too (what the browser tests use)", async () => {
    const login = unique('form-user');
    account(login);
    const browser = new TestBrowser(roster.base);
    idp.nextLogin = null;
    let next = `/auth/sso/${provider.id}/start`;
    let page: URL | null = null;
    for (let hop = 0; hop < 5 && !page; hop++) {
      const response = await browser.fetch(new URL(next, roster.base).href);
      const location = response.headers.get('location');
      if (location) next = new URL(location, new URL(next, roster.base)).href;
      else page = new URL(next, roster.base);
    }
    if (!page) throw new Error('no login page');
    const html = await (await browser.fetch(page.href)).text();
    expect(html).toContain('<label for="login">Username</label>');
    expect(html).toContain('<button type="submit">Sign in</button>');
    const wrong = await browser.fetch(page.href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'login=nobody',
    });
    expect(await wrong.text()).toContain('No account is called');
    const signedIn = await browser.fetch(page.href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `login=${encodeURIComponent(login)}`,
    });
    const location = signedIn.headers.get('location');
    if (!location) throw new Error(`no redirect after the form: ${signedIn.status}`);
    expectLanded(await walk(browser, new URL(location, page).href), '/');
    expect(await whoAmI(browser)).toMatchObject({ status: 200, username: login });
  });

  it('lists the providers for the login page', async () => {
    const response = await fetch(`${roster.base}/api/v1/auth/login-methods`);
    const body = (await response.json()) as {
      identityProviders: Array<{ id: string; label: string; startUrl: string }>;
      passwordLogin: string;
    };
    expect(body.identityProviders).toContainEqual({ id: provider.id, label: provider.label, startUrl: `/auth/sso/${provider.id}/start` });
    expect(body.passwordLogin).toBe('everyone');
  });

  it('answers unknown_provider for an id that is no provider', async () => {
    const browser = new TestBrowser(roster.base);
    const landed = await walk(browser, '/auth/sso/00000000-0000-4000-8000-000000000000/start');
    expectLanded(landed, '/login', { sso_error: 'unknown_provider' });
  });

  it('tells of a provider that is down, and an Owner still logs in with a password', async () => {
    const port = await freePort();
    const down = await registerProvider(roster, { ...idp, issuer: `http://127.0.0.1:${port}`, redirectUris: [] });
    const browser = new TestBrowser(roster.base);
    expectLanded(await walk(browser, `/auth/sso/${down.id}/start`), '/login', { sso_error: 'provider_unavailable' });
    const owner = await buildOwner(roster);
    await browser.logIn(owner.user.username, factoryPassword);
    expect((await whoAmI(browser)).status).toBe(200);
  });

  it('refuses a tampered state, a missing cookie, a replayed state and a wrong nonce', async () => {
    const login = unique('mallory');
    account(login);
    const startCallback = async () => {
      const browser = new TestBrowser(roster.base);
      idp.nextLogin = login;
      const callback = await walk(browser, `/auth/sso/${provider.id}/start`, { stopAtCallback: true });
      return { browser, callback };
    };

    const tampered = await startCallback();
    tampered.callback.searchParams.set('state', `${tampered.callback.searchParams.get('state')}x`);
    expectLanded(await walk(tampered.browser, tampered.callback.href), '/login', { sso_error: 'state_mismatch' });

    const noCookie = await startCallback();
    expectLanded(await walk(new TestBrowser(roster.base), noCookie.callback.href), '/login', { sso_error: 'state_mismatch' });

    const replayed = await startCallback();
    const handle = replayed.callback.searchParams.get('state') ?? '';
    expectLanded(await walk(replayed.browser, replayed.callback.href), '/');
    const again = new TestBrowser(roster.base);
    again.setCookie('roster_sso', handle, '/auth/sso');
    expectLanded(await walk(again, replayed.callback.href), '/login', { sso_error: 'expired' });

    const wrongNonce = await startCallback();
    await roster.services.database.db.updateTable('sso_states').set({ nonce: 'not-the-nonce-that-was-sent' }).execute();
    expectLanded(await walk(wrongNonce.browser, wrongNonce.callback.href), '/login', { sso_error: 'provider_error' });
    expect((await whoAmI(wrongNonce.browser)).status).toBe(401);
    const reasons = (await auditOf(roster, 'auth.sso_login_failed')).map((e) => detailsOf(e).reason);
    expect(reasons).toEqual(expect.arrayContaining(['state_mismatch', 'expired_or_used', 'nonce_mismatch']));
  });

  it('never writes the client secret to the logs', async () => {
    const logs = roster.logs.join('\n');
    expect(logs).not.toContain(idp.clientSecret);
  });

  it('sends a person with Roster factors to the second-factor step, which finishes the SSO login', async () => {
    const member = await enableTotp(roster, await buildMember(roster));
    const login = unique('nina');
    const sub = account(login, { email: `${login}@corp.example` });
    // Linked by hand earlier (a person with 2FA is never linked automatically).
    await roster.services.database.db
      .insertInto('user_identities')
      .values({
        id: crypto.randomUUID(),
        user_id: member.user.id,
        identity_provider_id: provider.id,
        subject: sub,
        email: null,
        created_at: new Date().toISOString(),
        last_login_at: null,
      })
      .execute();
    const { browser, landed } = await ssoLogin(roster, idp, provider.id, login, '/projects');
    expectLanded(landed, '/login', { step: 'second-factor', returnTo: '/projects' });
    expect((await whoAmI(browser)).status).toBe(401);
    roster.clock.advance(30_000);
    const finished = await browser.postJson('/api/v1/auth/second-factor', { code: totpCode(member.secret, roster.clock.now()) });
    expect(finished.status, await finished.clone().text()).toBe(200);
    expect(await whoAmI(browser)).toMatchObject({ status: 200, id: member.user.id });
    const logins = (await auditOf(roster, 'auth.sso_login')).filter((e) => e.target_id === member.user.id);
    expect(logins.map(detailsOf)).toEqual([
      expect.objectContaining({ secondFactor: 'totp', identityProvider: expect.objectContaining({ id: provider.id }) }),
    ]);
  });
});
