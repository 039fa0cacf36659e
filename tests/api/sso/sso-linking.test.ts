import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildAdmin, buildMember, buildOwner, factoryPassword } from '../../support/factories.js';
import { enableTotp, totpCode } from '../../support/mfa.js';
import { createListeningTestApp, type ListeningTestApp, TestBrowser } from '../../support/oidc.js';
import { startUpstreamIdp, type UpstreamIdp } from '../../support/upstream-idp.js';
import { auditOf, detailsOf, expectLanded, ownerApi, registerProvider, ssoLogin, unique, walk, whoAmI } from './support.js';

// SPEC §12.2 (docs/sso.md): linking by hand from Profile, unlinking, the provider's own 2FA, Require SSO, and an
// administrator's reset removing links — against a real oidc-provider, over real HTTP, on both databases.

describeEachDatabase('SSO: linking, 2FA, Require SSO', (dialect) => {
  let roster: ListeningTestApp;
  let idp: UpstreamIdp;
  let provider: { id: string; label: string };

  beforeAll(async () => {
    roster = await createListeningTestApp(dialect);
    idp = await startUpstreamIdp();
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

  /** A browser logged in with a password, then through Profile → Link as `login` at the provider; where it lands. */
  async function linkByHand(browser: TestBrowser, providerId: string, login: string, proof: Record<string, unknown>) {
    const started = await browser.postJson('/api/v1/me/identities', { identityProviderId: providerId, ...proof });
    expect(started.status, await started.clone().text()).toBe(200);
    const { redirectUrl } = (await started.json()) as { redirectUrl: string };
    expect(new URL(redirectUrl).origin).toBe(idp.issuer);
    expect(new URL(redirectUrl).searchParams.get('code_challenge_method')).toBe('S256');
    idp.nextLogin = login;
    return redirectUrl;
  }

  it('refuses to require SSO while no provider is registered', async () => {
    const api = await ownerApi(roster);
    const refused = await api('PATCH', '/api/v1/settings/security', { requireSso: true });
    expect(refused.status, refused.body).toBe(400);
    expect(refused.json().code).toBe('validation_failed');
    provider = await registerProvider(roster, idp, { createUnknown: true, linkVerifiedEmail: false });
  });

  it('links a provider account from Profile, for this session only, and lists it', async () => {
    const member = await buildMember(roster);
    const browser = new TestBrowser(roster.base);
    await browser.logIn(member.user.username, factoryPassword);
    const login = unique('olga');
    // An email that is not the member's: a link by hand does not depend on it.
    account(login, { email: `${login}@elsewhere.example`, email_verified: false });

    const wrong = await browser.postJson('/api/v1/me/identities', { identityProviderId: provider.id, currentPassword: 'wrong password' });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { code: string }).code).toBe('invalid_current_password');

    const redirectUrl = await linkByHand(browser, provider.id, login, { currentPassword: factoryPassword });
    expectLanded(await walk(browser, redirectUrl), '/profile', { sso_linked: provider.label });
    const list = (await (await browser.fetch('/api/v1/me/identities')).json()) as {
      items: Array<Record<string, unknown>>;
      nextCursor: null;
    };
    expect(list.nextCursor).toBeNull();
    expect(list.items).toEqual([
      expect.objectContaining({ identityProviderId: provider.id, label: provider.label, email: `${login}@elsewhere.example` }),
    ]);
    const linked = (await auditOf(roster, 'sso.linked')).filter((e) => e.target_id === member.user.id && e.outcome === 'success');
    expect(linked.map(detailsOf)).toEqual([expect.objectContaining({ via: 'profile' })]);

    // From now on the provider logs the member in.
    const again = await ssoLogin(roster, idp, provider.id, login);
    expect(await whoAmI(again.browser)).toMatchObject({ status: 200, id: member.user.id });
  });

  it("refuses a link finished in another person's session (no login-CSRF link)", async () => {
    const victim = await buildMember(roster);
    const attacker = await buildMember(roster);
    const login = unique('attacker-at-idp');
    account(login);
    // The attacker starts a link in their own session and stops at Roster's callback…
    const attackerBrowser = new TestBrowser(roster.base);
    await attackerBrowser.logIn(attacker.user.username, factoryPassword);
    const redirectUrl = await linkByHand(attackerBrowser, provider.id, login, { currentPassword: factoryPassword });
    const callback = await walk(attackerBrowser, redirectUrl, { stopAtCallback: true });
    // …and gets the victim's browser to open it, with the attacker's state cookie planted.
    const victimBrowser = new TestBrowser(roster.base);
    await victimBrowser.logIn(victim.user.username, factoryPassword);
    victimBrowser.setCookie('roster_sso', callback.searchParams.get('state') ?? '', '/auth/sso');
    expectLanded(await walk(victimBrowser, callback.href), '/profile', { sso_error: 'state_mismatch' });
    const links = await roster.services.database.db
      .selectFrom('user_identities')
      .select('user_id')
      .where('user_id', 'in', [victim.user.id, attacker.user.id])
      .execute();
    expect(links).toEqual([]);
  });

  it('refuses to link a provider account another person has linked (identity_taken)', async () => {
    const login = unique('pat');
    account(login);
    const first = await ssoLogin(roster, idp, provider.id, login);
    expect((await whoAmI(first.browser)).status).toBe(200);
    const other = await buildMember(roster);
    const browser = new TestBrowser(roster.base);
    await browser.logIn(other.user.username, factoryPassword);
    const redirectUrl = await linkByHand(browser, provider.id, login, { currentPassword: factoryPassword });
    expectLanded(await walk(browser, redirectUrl), '/profile', { sso_error: 'identity_taken' });
  });

  it('asks a second factor before linking when 2FA is on', async () => {
    const member = await enableTotp(roster, await buildMember(roster));
    const browser = new TestBrowser(roster.base);
    await browser.logIn(member.user.username, factoryPassword);
    const pending = await browser.postJson('/api/v1/auth/second-factor', { code: totpCode(member.secret, roster.clock.now()) });
    expect(pending.status).toBe(200);
    browser.csrfToken = ((await pending.json()) as { csrfToken: string }).csrfToken;
    roster.clock.advance(30_000);
    const without = await browser.postJson('/api/v1/me/identities', { identityProviderId: provider.id, currentPassword: factoryPassword });
    expect(without.status).toBe(403);
    expect(((await without.json()) as { code: string }).code).toBe('mfa_required');
    const login = unique('quinn');
    account(login);
    const redirectUrl = await linkByHand(browser, provider.id, login, {
      currentPassword: factoryPassword,
      secondFactor: { code: totpCode(member.secret, roster.clock.now()) },
    });
    expectLanded(await walk(browser, redirectUrl), '/profile', { sso_linked: provider.label });
  });

  it('unlinks, but never the last way in of a person without a password (last_login_method)', async () => {
    const login = unique('ruth');
    account(login);
    const { browser } = await ssoLogin(roster, idp, provider.id, login);
    const me = await whoAmI(browser);
    const csrf = ((await (await browser.fetch('/api/v1/me')).json()) as { csrfToken: string }).csrfToken;
    browser.csrfToken = csrf;
    const list = (await (await browser.fetch('/api/v1/me/identities')).json()) as { items: Array<{ id: string }> };
    const only = list.items[0]?.id ?? '';
    const refused = await browser.fetch(`/api/v1/me/identities/${only}`, { method: 'DELETE', headers: { 'x-csrf-token': csrf } });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { code: string }).code).toBe('last_login_method');

    // A person with a password may unlink their only link.
    const member = await buildMember(roster);
    const memberBrowser = new TestBrowser(roster.base);
    await memberBrowser.logIn(member.user.username, factoryPassword);
    const other = unique('ruth-link');
    account(other);
    await walk(memberBrowser, await linkByHand(memberBrowser, provider.id, other, { currentPassword: factoryPassword }));
    const links = (await (await memberBrowser.fetch('/api/v1/me/identities')).json()) as { items: Array<{ id: string }> };
    const id = links.items[0]?.id ?? '';
    const removed = await memberBrowser.fetch(`/api/v1/me/identities/${id}`, {
      method: 'DELETE',
      headers: { 'x-csrf-token': memberBrowser.csrfToken },
    });
    expect(removed.status).toBe(204);
    expect(((await (await memberBrowser.fetch('/api/v1/me/identities')).json()) as { items: unknown[] }).items).toEqual([]);
    const unlinked = (await auditOf(roster, 'sso.unlinked')).filter((e) => e.target_id === member.user.id);
    expect(unlinked).toHaveLength(1);
    // Someone else's link is not found.
    const foreign = await memberBrowser.fetch(`/api/v1/me/identities/${only}`, {
      method: 'DELETE',
      headers: { 'x-csrf-token': memberBrowser.csrfToken },
    });
    expect(foreign.status).toBe(404);
    expect(me.status).toBe(200);
    // Unlinked: the provider account is unknown again, and the member's email is not the provider's.
    expectLanded((await ssoLogin(roster, idp, provider.id, other)).landed, '/');
  });

  it("removes a person's links at an administrator's password reset or 2FA reset", async () => {
    const api = await ownerApi(roster);
    const links = async (userId: string) =>
      roster.services.database.db.selectFrom('user_identities').select('id').where('user_id', '=', userId).execute();
    for (const reset of ['password-reset', 'mfa-reset'] as const) {
      const login = unique(`sam-${reset}`);
      account(login);
      const { browser } = await ssoLogin(roster, idp, provider.id, login);
      const me = await whoAmI(browser);
      expect(await links(me.id ?? '')).toHaveLength(1);
      const answer = await api('POST', `/api/v1/people/${me.id}/${reset}`, {});
      expect(answer.status, answer.body).toBe(200);
      expect(await links(me.id ?? '')).toEqual([]);
      const action = reset === 'password-reset' ? 'user.password_reset' : 'mfa.reset';
      const events = (await auditOf(roster, action)).filter((e) => e.target_id === me.id);
      expect(events.map(detailsOf)).toEqual([expect.objectContaining({ identitiesUnlinked: 1 })]);
    }
  });

  it("counts the provider's own second factor for the 2FA policy only when it enforces 2FA and amr shows one", async () => {
    const api = await ownerApi(roster);
    const strict = await registerProvider(roster, idp, { createUnknown: true, linkVerifiedEmail: false, enforces2fa: true });
    try {
      expect((await api('PATCH', '/api/v1/settings/security', { mfaPolicy: 'everyone', mfaGraceDays: 0 })).status).toBe(200);
      roster.clock.advance(1000);
      const projects = async (browser: TestBrowser) => (await browser.fetch('/api/v1/projects')).status;

      const withMfa = unique('tina');
      account(withMfa, { amr: ['pwd', 'mfa'] });
      const good = await ssoLogin(roster, idp, strict.id, withMfa);
      expect(await projects(good.browser)).toBe(200);
      const sso = (await auditOf(roster, 'auth.sso_login')).at(-1);
      expect(detailsOf(sso as never)).toMatchObject({ mfaByProvider: true });

      const passwordOnly = unique('uma');
      account(passwordOnly, { amr: ['pwd'] });
      const weak = await ssoLogin(roster, idp, strict.id, passwordOnly);
      expect(await projects(weak.browser)).toBe(403);

      // A provider that does not enforce 2FA: its amr counts for nothing.
      const lax = unique('vera');
      account(lax, { amr: ['pwd', 'mfa'] });
      const untrusted = await ssoLogin(roster, idp, provider.id, lax);
      expect(await projects(untrusted.browser)).toBe(403);
    } finally {
      // Not through the API: the Owner's own token is refused while the policy asks them for 2FA.
      await roster.services.database.db.updateTable('security_settings').set({ mfa_policy: 'none' }).execute();
    }
  });

  it('requires SSO of everyone but Owners once turned on', async () => {
    const api = await ownerApi(roster);
    const member = await buildMember(roster);
    const admin = await buildAdmin(roster);
    const owner = await buildOwner(roster);
    const on = await api('PATCH', '/api/v1/settings/security', { requireSso: true });
    expect(on.status, on.body).toBe(200);
    expect(on.json()).toMatchObject({ requireSso: true });
    try {
      const methods = (await (await fetch(`${roster.base}/api/v1/auth/login-methods`)).json()) as { passwordLogin: string };
      expect(methods.passwordLogin).toBe('owners');
      for (const person of [member, admin]) {
        const refused = await fetch(`${roster.base}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: roster.base },
          body: JSON.stringify({ login: person.user.username, password: factoryPassword }),
        });
        expect(refused.status).toBe(403);
        const body = (await refused.json()) as { code: string; detail: string };
        expect(body.code).toBe('sso_required');
        expect(body.detail).toContain(provider.label);
      }
      // A wrong password is still just a wrong password.
      const wrong = await fetch(`${roster.base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: roster.base },
        body: JSON.stringify({ login: member.user.username, password: 'not the password' }),
      });
      expect(wrong.status).toBe(401);
      const browser = new TestBrowser(roster.base);
      await browser.logIn(owner.user.username, factoryPassword);
      expect((await whoAmI(browser)).status).toBe(200);
      // SSO itself is open to everyone.
      const login = unique('walt');
      account(login);
      expect((await whoAmI((await ssoLogin(roster, idp, provider.id, login)).browser)).status).toBe(200);
    } finally {
      await api('PATCH', '/api/v1/settings/security', { requireSso: false });
    }
  });
});
