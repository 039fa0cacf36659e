import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildApiToken, buildMember, factoryPassword } from '../../support/factories.js';
import { totpCode } from '../../support/mfa.js';
import { createListeningTestApp, type ListeningTestApp, TestBrowser } from '../../support/oidc.js';
import { startUpstreamIdp, type UpstreamIdp } from '../../support/upstream-idp.js';
import { auditOf, detailsOf, expectLanded, registerProvider, ssoLogin, unique, walk } from './support.js';

// SPEC §12.2 (docs/sso.md#confirming-its-you-without-a-password): for a person created by SSO, who has no password, a
// fresh login at a linked provider (max_age=0, within 5 minutes, in this session) stands in for `currentPassword` —
// against a real oidc-provider, over real HTTP, on both databases.

describeEachDatabase('SSO: a fresh provider login instead of the current password', (dialect) => {
  let roster: ListeningTestApp;
  let idp: UpstreamIdp;
  let provider: { id: string; label: string };

  beforeAll(async () => {
    roster = await createListeningTestApp(dialect);
    idp = await startUpstreamIdp();
    provider = await registerProvider(roster, idp, { createUnknown: true, linkVerifiedEmail: false });
  });
  afterAll(async () => {
    await idp?.close();
    await roster?.close();
  });

  const account = (login: string) => {
    const sub = `sub-${unique(login)}`;
    idp.accounts.set(login, { sub, email: `${login}@corp.example`, email_verified: true, preferred_username: login });
    return sub;
  };

  /** A new person created by their first SSO login, with a browser that can write (its CSRF token read from /me). */
  async function ssoPerson(prefix: string) {
    const login = unique(prefix);
    account(login);
    const { browser, landed } = await ssoLogin(roster, idp, provider.id, login);
    expectLanded(landed, '/');
    await readMe(browser);
    return { browser, login };
  }

  async function readMe(browser: TestBrowser) {
    const me = (await (await browser.fetch('/api/v1/me')).json()) as {
      csrfToken: string;
      hasPassword: boolean;
      reauthenticatedUntil: string | null;
      user: { id: string; username: string };
    };
    browser.csrfToken = me.csrfToken;
    return me;
  }

  /** POST /me/reauthenticate, then the provider's login as `login`; where the browser lands. */
  async function reauthenticate(browser: TestBrowser, login: string, returnTo?: string) {
    const started = await browser.postJson('/api/v1/me/reauthenticate', {
      identityProviderId: provider.id,
      ...(returnTo === undefined ? {} : { returnTo }),
    });
    expect(started.status, await started.clone().text()).toBe(200);
    const { redirectUrl } = (await started.json()) as { redirectUrl: string };
    const url = new URL(redirectUrl);
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get('max_age')).toBe('0');
    expect(url.searchParams.get('prompt')).toBe('login');
    idp.nextLogin = login;
    return walk(browser, redirectUrl);
  }

  /** Drops the provider's own session cookies from the browser (the provider and Roster share the host). */
  function forgetProviderSession(browser: TestBrowser) {
    for (const pair of browser.cookieHeader(new URL('/auth', idp.issuer)).split('; ')) {
      const name = pair.split('=')[0] ?? '';
      if (name.startsWith('_session')) browser.setCookie(name, 'forgotten', '/nowhere');
    }
  }

  const startTotp = (browser: TestBrowser, body: Record<string, unknown> = {}) => browser.postJson('/api/v1/me/mfa/totp', body);
  const codeOf = async (response: Response) => ((await response.json()) as { code: string }).code;

  it('lets a person created by SSO set up an authenticator app after a fresh provider login, and not before', async () => {
    const { browser, login } = await ssoPerson('rita');
    const me = await readMe(browser);
    expect(me.hasPassword).toBe(false);
    expect(me.reauthenticatedUntil).toBeNull();

    const before = await startTotp(browser);
    expect(before.status).toBe(403);
    expect(await codeOf(before)).toBe('reauthentication_required');
    const refused = (await auditOf(roster, 'mfa.setup_failed')).filter((e) => e.target_id === me.user.id);
    expect(refused.map(detailsOf)).toEqual([expect.objectContaining({ reason: 'reauthentication_required' })]);

    const landed = await reauthenticate(browser, login, '/profile?tab=security#two-factor');
    expectLanded(landed, '/profile', { reauthenticated: '1', tab: 'security' });
    expect(landed.hash).toBe('#two-factor');
    const after = await readMe(browser);
    expect(after.reauthenticatedUntil).not.toBeNull();
    expect(Date.parse(after.reauthenticatedUntil ?? '')).toBeGreaterThan(roster.clock.now().getTime() + 4 * 60_000);
    const reauthenticated = (await auditOf(roster, 'auth.sso_reauthenticated')).filter((e) => e.target_id === me.user.id);
    expect(reauthenticated).toHaveLength(1);

    const started = await startTotp(browser);
    expect(started.status, await started.clone().text()).toBe(200);
    const { secret } = (await started.json()) as { secret: string };
    const confirmed = await browser.postJson('/api/v1/me/mfa/totp/confirm', { code: totpCode(secret, roster.clock.now()) });
    expect(confirmed.status, await confirmed.clone().text()).toBe(200);
    expect(((await confirmed.json()) as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);

    // With 2FA on, the second factor rule is unchanged: the fresh login alone is not enough for the next change.
    const withoutFactor = await browser.postJson('/api/v1/me/mfa/recovery-codes', {});
    expect(withoutFactor.status).toBe(403);
    expect(await codeOf(withoutFactor)).toBe('mfa_required');
    roster.clock.advance(30_000);
    const withFactor = await browser.postJson('/api/v1/me/mfa/recovery-codes', {
      secondFactor: { code: totpCode(secret, roster.clock.now()) },
    });
    expect(withFactor.status, await withFactor.clone().text()).toBe(200);
  });

  it('lets a person created by SSO set a first password after a fresh provider login, and not before; then it is a password like any other', async () => {
    const { browser, login } = await ssoPerson('paula');
    const newPassword = 'a long passphrase for the first password 42';
    const before = await browser.postJson('/api/v1/auth/password', { newPassword });
    expect(before.status).toBe(403);
    expect(await codeOf(before)).toBe('reauthentication_required');

    expectLanded(await reauthenticate(browser, login), '/profile', { reauthenticated: '1' });
    await readMe(browser);
    const set = await browser.postJson('/api/v1/auth/password', { newPassword });
    expect(set.status, await set.clone().text()).toBe(200);
    const me = await readMe(browser);
    expect(me.hasPassword).toBe(true);
    const changed = (await auditOf(roster, 'user.password_changed')).filter((event) => event.target_id === me.user.id);
    expect(changed.map((event) => detailsOf(event as never))).toEqual([expect.objectContaining({ firstPassword: true })]);

    // From now on the password is asked like anyone's: the provider login no longer stands in for it.
    const again = await browser.postJson('/api/v1/auth/password', { newPassword: 'another long passphrase 43' });
    expect(again.status).toBe(403);
    expect(await codeOf(again)).toBe('invalid_current_password');
    const other = new TestBrowser(roster.base);
    const loggedIn = await other.postJson('/api/v1/auth/login', { login: me.user.username, password: newPassword });
    expect(loggedIn.status, await loggedIn.clone().text()).toBe(200);
  });

  it('stops standing in for the password 5 minutes after the provider login', async () => {
    const { browser, login } = await ssoPerson('sam');
    expectLanded(await reauthenticate(browser, login), '/profile', { reauthenticated: '1' });
    roster.clock.advanceMinutes(4);
    const within = await browser.postJson('/api/v1/me/token', {});
    expect(within.status, await within.clone().text()).toBe(200);

    roster.clock.advance(60_000 + 1_000);
    expect((await readMe(browser)).reauthenticatedUntil).toBeNull();
    const late = await browser.postJson('/api/v1/me/token', {});
    expect(late.status).toBe(403);
    expect(await codeOf(late)).toBe('reauthentication_required');
    // Back to the provider's time (it uses the real clock for auth_time): the next tests' logins are fresh again.
    roster.clock.advance(-(4 * 60_000 + 61_000));
  });

  it("does not count another session's fresh login", async () => {
    const { browser, login } = await ssoPerson('tess');
    const other = (await ssoLogin(roster, idp, provider.id, login)).browser;
    await readMe(other);
    expectLanded(await reauthenticate(other, login), '/profile', { reauthenticated: '1' });
    expect((await startTotp(other)).status).toBe(200);

    const mine = await startTotp(browser);
    expect(mine.status).toBe(403);
    expect(await codeOf(mine)).toBe('reauthentication_required');
  });

  it('refuses a fresh login as another account at the provider, and a callback in another session', async () => {
    const { browser } = await ssoPerson('uma');
    const stranger = unique('victor');
    account(stranger);
    // Someone else logs in at the provider in this browser (its session of the person forgotten first, as a logout does).
    forgetProviderSession(browser);
    const landed = await reauthenticate(browser, stranger, '/profile');
    expectLanded(landed, '/profile', { sso_error: 'wrong_account' });
    expect(landed.searchParams.get('reauthenticated')).toBeNull();
    expect((await readMe(browser)).reauthenticatedUntil).toBeNull();
    const refusedNow = await startTotp(browser);
    expect(await codeOf(refusedNow)).toBe('reauthentication_required');
    const failures = (await auditOf(roster, 'auth.sso_login_failed')).map(detailsOf);
    expect(failures).toContainEqual(expect.objectContaining({ reason: 'wrong_account', purpose: 'reauth' }));

    // Started by one session, finished with another session's cookie: refused, and neither session counts.
    const { browser: first, login: firstLogin } = await ssoPerson('wade');
    const started = await first.postJson('/api/v1/me/reauthenticate', { identityProviderId: provider.id });
    const { redirectUrl } = (await started.json()) as { redirectUrl: string };
    idp.nextLogin = firstLogin;
    const callback = await walk(first, redirectUrl, { stopAtCallback: true });
    const second = (await ssoLogin(roster, idp, provider.id, firstLogin)).browser;
    const handle = first.cookieHeader(callback).match(/roster_sso=([^;]+)/)?.[1];
    expect(handle).toBeTruthy();
    second.setCookie('roster_sso', handle ?? '', '/auth/sso');
    expectLanded(await walk(second, callback.href), '/profile', { sso_error: 'state_mismatch' });
    expect((await readMe(second)).reauthenticatedUntil).toBeNull();
    expect((await readMe(first)).reauthenticatedUntil).toBeNull();
  });

  it('refuses to start without a link at that provider, or with an API token', async () => {
    const member = await buildMember(roster);
    const browser = new TestBrowser(roster.base);
    await browser.logIn(member.user.username, factoryPassword);
    const refused = await browser.postJson('/api/v1/me/reauthenticate', { identityProviderId: provider.id });
    expect(refused.status).toBe(404);
    expect(await codeOf(refused)).toBe('not_found');

    const token = await buildApiToken(roster, member.user);
    const tokenCall = await fetch(new URL('/api/v1/me/reauthenticate', roster.base), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ identityProviderId: provider.id }),
    });
    expect(tokenCall.status).toBe(403);
  });

  it('never lets a person with a password skip it, even after a fresh provider login', async () => {
    const member = await buildMember(roster);
    const browser = new TestBrowser(roster.base);
    await browser.logIn(member.user.username, factoryPassword);
    const login = unique('xena');
    account(login);
    const linkStart = await browser.postJson('/api/v1/me/identities', {
      identityProviderId: provider.id,
      currentPassword: factoryPassword,
    });
    expect(linkStart.status).toBe(200);
    idp.nextLogin = login;
    expectLanded(await walk(browser, ((await linkStart.json()) as { redirectUrl: string }).redirectUrl), '/profile', {
      sso_linked: provider.label,
    });
    expect((await readMe(browser)).hasPassword).toBe(true);

    expectLanded(await reauthenticate(browser, login), '/profile', { reauthenticated: '1' });
    expect((await readMe(browser)).reauthenticatedUntil).not.toBeNull();
    const skipped = await startTotp(browser);
    expect(skipped.status).toBe(403);
    expect(await codeOf(skipped)).toBe('invalid_current_password');
    const withPassword = await startTotp(browser, { currentPassword: factoryPassword });
    expect(withPassword.status).toBe(200);
  });
});
