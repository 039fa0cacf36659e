import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamIdp, type UpstreamIdp } from '../support/upstream-idp.js';
import { laptop } from './support/both-sizes.js';
import { chromiumAvailable, chromiumSkipReason, watchPageProblems } from './support/browser.js';
import { browserSuiteOptions, useBrowserAndServer } from './support/browser-suite.js';
import { callApi, createPerson, expectAccessible, loginAsFreshOwner, type SignedIn, submitLogin } from './support/console-owner.js';
import { firstLoginInNewContext, passwordFor, pickOption } from './support/console-people.js';
import { startRelyingParty } from './support/relying-party.js';

if (!chromiumAvailable) console.warn(`SSO login browser tests ${chromiumSkipReason}`);

// Issue 16's "Done when", in Chromium against a real Roster server: an Owner registers the company's identity provider
// in the console (a real `oidc-provider` in this process stands in for Keycloak or Okta, tests/support/upstream-idp.ts),
// Test connection says it works, a new person logs in with it and lands in the mapped group, and the cases of
// SPEC §12.2 around it: a mapping that changes between logins, creation off, an unverified and a verified email, an
// explicit link and unlink from Profile settings, a forged callback, and a provider that is down while an Owner's
// password login still works. The same cases on both databases are in tests/api/sso; the tests here build on each
// other, as one Owner's afternoon would.

interface Member {
  id: string;
  username: string;
}

/**
 * A fresh browser (no session at Roster or at the provider) clicks **Log in with Company SSO** on the login page and
 * signs in at the provider as `login`; where it lands is the caller's to check.
 */
async function logInThroughProvider(browser: Browser, origin: string, login: string): Promise<SignedIn> {
  const context = await browser.newContext({ viewport: laptop });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${origin}/login`);
  await page.getByRole('link', { name: 'Log in with Company SSO' }).click();
  await page.getByRole('heading', { level: 1, name: 'Company SSO' }).waitFor();
  await page.getByLabel('Username').fill(login);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return { context, page };
}

describe.skipIf(!chromiumAvailable)('Logging in with the company identity provider', browserSuiteOptions, () => {
  const started = useBrowserAndServer();
  let idp: UpstreamIdp;
  let owner: SignedIn;
  let providerId = '';
  let platformGroupId = '';
  beforeAll(async () => {
    idp = await startUpstreamIdp();
  });
  afterAll(async () => {
    await owner?.context.close();
    await idp?.close();
  });

  const membersOfPlatform = async () => {
    const { server } = started();
    const page = await callApi<{ items: Member[] }>(owner.context, server.origin, 'GET', `/groups/${platformGroupId}/members`);
    return page.items.map((member) => member.username);
  };

  it('lets an Owner register the provider in the console, where Test connection says it works', async () => {
    const { server, browser } = started();
    const { origin } = server;
    owner = await loginAsFreshOwner(browser, server, laptop);
    const { page, context } = owner;
    page.setDefaultTimeout(15_000);
    const problems = watchPageProblems(page);
    const group = await callApi<{ id: string }>(context, origin, 'POST', '/groups', {
      name: 'platform',
      description: 'Builds the platform.',
    });
    platformGroupId = group.id;

    await page.goto(`${origin}/settings/identity-providers`);
    await page.getByRole('button', { name: 'Register provider' }).click();
    const register = page.getByRole('dialog', { name: 'Register provider' });
    await register.getByLabel('Label').fill('Company SSO');
    await register.getByRole('textbox', { name: 'Issuer' }).fill(idp.issuer);
    await register.getByRole('button', { name: 'Test connection' }).click();
    await register.locator('[data-test-connection="ok"]').getByText(`${idp.issuer}/auth`, { exact: true }).waitFor();
    await register.getByLabel('Client ID').fill(idp.clientId);
    await register.getByLabel(/^Client secret/).fill(idp.clientSecret);
    await register.getByLabel('Scopes').fill('openid profile email groups');
    await register.getByRole('checkbox', { name: 'Create people at their first login' }).check();
    await register.getByRole('button', { name: 'Add mapping' }).click();
    await register.getByLabel('Provider group 1').fill('platform-team');
    await pickOption(page, 'Roster group 1', 'platf', /^platform/);
    await register.getByRole('button', { name: 'Register provider' }).click();
    const registered = page.getByRole('dialog', { name: 'Company SSO registered' });
    const redirectUri = (await registered.locator('[data-copyable="redirect URI"]').textContent()) ?? '';
    providerId = /\/auth\/sso\/([0-9a-f-]{36})\/callback$/.exec(redirectUri)?.[1] ?? '';
    expect(providerId).not.toBe('');
    // What the Owner does next at the provider: register Roster's redirect URI for its client.
    idp.redirectUris.push(redirectUri);
    await registered.getByRole('button', { name: 'Done' }).click();
    expect(problems).toEqual([]);
  }, 120_000);

  it('creates a new person at their first login and puts them in the mapped group; the next login follows the provider', async () => {
    const { server, browser } = started();
    const { origin } = server;
    idp.accounts.set('dana', {
      sub: 'upstream-dana',
      email: 'dana@corp.example.com',
      email_verified: true,
      preferred_username: 'dana',
      groups: ['platform-team', 'unmapped-team'],
    });
    const { context, page } = await logInThroughProvider(browser, origin, 'dana');
    const problems = watchPageProblems(page);
    await page.getByRole('heading', { level: 1, name: 'Welcome, dana' }).waitFor();
    expect(await membersOfPlatform()).toContain('dana');
    const people = await callApi<{ items: { username: string; email: string; role: string }[] }>(
      owner.context,
      origin,
      'GET',
      '/people?query=dana',
    );
    expect(people.items).toEqual([expect.objectContaining({ username: 'dana', email: 'dana@corp.example.com', role: 'member' })]);
    const audit = await callApi<{ items: { action: string; target: { name: string } | null; details: Record<string, unknown> }[] }>(
      owner.context,
      origin,
      'GET',
      '/audit?limit=100',
    );
    const aboutDana = audit.items.filter((event) => event.target?.name === 'dana' && event.action !== 'group.member_added');
    expect(aboutDana.map((event) => event.action).sort()).toEqual(['auth.sso_login', 'user.created']);
    expect(aboutDana.find((event) => event.action === 'user.created')?.details).toMatchObject({ via: 'sso' });
    await context.close();

    // The provider drops dana from the team: her next login takes her out of the mapped group.
    idp.accounts.set('dana', { ...idp.accounts.get('dana'), sub: 'upstream-dana', groups: ['unmapped-team'] });
    const again = await logInThroughProvider(browser, origin, 'dana');
    await again.page.getByRole('heading', { level: 1, name: 'Welcome, dana' }).waitFor();
    expect(await membersOfPlatform()).not.toContain('dana');
    expect(problems).toEqual([]);
    await again.context.close();
  }, 120_000);

  it('refuses unknown people when creation is off, and never links on an unverified email', async () => {
    const { server, browser } = started();
    const { origin } = server;
    await callApi(owner.context, origin, 'PATCH', `/identity-providers/${providerId}`, { createUnknown: false, linkVerifiedEmail: true });
    idp.accounts.set('frank', {
      sub: 'upstream-frank',
      email: 'frank@corp.example.com',
      email_verified: true,
      preferred_username: 'frank',
    });
    const frank = await logInThroughProvider(browser, origin, 'frank');
    await frank.page.locator('[data-sso-error]').getByText('No account for this login').waitFor();
    await frank.page.getByLabel('Email or username').waitFor();
    await expectAccessible(frank.page, 'login page: no account for this login');
    await frank.context.close();

    // gina has a Roster account; the provider claims her address but has not verified it.
    const gina = await createPerson(owner.context, origin, 'gina@corp.example.com', 'gina');
    const ginaBrowser = await firstLoginInNewContext(browser, origin, gina.username, gina.temporaryPassword);
    await ginaBrowser.context.close();
    idp.accounts.set('gina-impostor', { sub: 'upstream-impostor', email: 'gina@corp.example.com', email_verified: false });
    const impostor = await logInThroughProvider(browser, origin, 'gina-impostor');
    await impostor.page.locator('[data-sso-error]').getByText('An account with this email already exists').waitFor();
    expect((await impostor.context.request.get(`${origin}/api/v1/me`)).status()).toBe(401);
    await impostor.context.close();

    // The real gina, with a verified address: a Member without 2FA is linked automatically.
    idp.accounts.set('gina', { sub: 'upstream-gina', email: 'gina@corp.example.com', email_verified: true });
    const real = await logInThroughProvider(browser, origin, 'gina');
    await real.page.getByRole('heading', { level: 1, name: 'Welcome, gina' }).waitFor();
    await real.context.close();
  }, 120_000);

  it('links an Admin by hand from Profile settings, logs them in through the link, and unlinks it', async () => {
    const { server, browser } = started();
    const { origin } = server;
    const erin = await createPerson(owner.context, origin, 'erin@corp.example.com', 'erin');
    await callApi(owner.context, origin, 'PUT', `/people/${erin.id}/role`, { role: 'admin' });
    // An Admin is never linked on their email, verified or not.
    idp.accounts.set('erin.corp', { sub: 'upstream-erin', email: 'erin@corp.example.com', email_verified: true });
    const refused = await logInThroughProvider(browser, origin, 'erin.corp');
    await refused.page.locator('[data-sso-error]').getByText('An account with this email already exists').waitFor();
    await refused.context.close();
    const { context, page } = await firstLoginInNewContext(browser, origin, erin.username, erin.temporaryPassword);
    page.setDefaultTimeout(15_000);
    const problems = watchPageProblems(page);

    await page.goto(`${origin}/profile`);
    const section = page.getByRole('region', { name: 'Linked accounts' });
    await section.getByRole('button', { name: 'Link Company SSO' }).click();
    const link = page.getByRole('dialog', { name: 'Link your account at Company SSO' });
    await link.getByLabel('Current password').fill(passwordFor('erin'));
    await link.getByRole('button', { name: 'Continue to Company SSO' }).click();
    await page.getByLabel('Username').fill('erin.corp');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await section.getByText('Your account at Company SSO is linked.').waitFor();
    await section.locator('[data-linked-account="Company SSO"]').getByText('erin@corp.example.com').waitFor();
    await expectAccessible(page, 'profile with a linked account');

    // Another browser logs in as erin through the provider alone.
    const other = await logInThroughProvider(browser, origin, 'erin.corp');
    await other.page.getByRole('heading', { level: 1, name: 'Welcome, erin' }).waitFor();
    await other.context.close();

    await section.getByRole('button', { name: 'Unlink Company SSO' }).click();
    const unlink = page.getByRole('dialog', { name: 'Unlink Company SSO?' });
    await unlink.getByRole('button', { name: 'Unlink', exact: true }).click();
    await section.getByRole('button', { name: 'Link Company SSO' }).waitFor();
    const audit = await callApi<{ items: { action: string }[] }>(owner.context, origin, 'GET', '/audit?action=sso.unlinked');
    expect(audit.items.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  it('is the login step of an application signing in through Roster: the application gets the person the provider named', async () => {
    const { server, browser } = started();
    const { origin } = server;
    const rp = await startRelyingParty(origin);
    try {
      const redirectUri = `${rp.origin}/dashboard/callback`;
      const registered = await callApi<{ application: { clientId: string }; clientSecret: string }>(
        owner.context,
        origin,
        'POST',
        '/applications',
        { name: 'Dashboard', type: 'confidential', redirectUris: [redirectUri], firstParty: true },
      );
      await rp.addClient({
        key: 'dashboard',
        name: 'Dashboard',
        redirectUri,
        clientId: registered.application.clientId,
        secret: registered.clientSecret,
      });
      const context = await browser.newContext({ viewport: laptop });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const problems = watchPageProblems(page);
      await page.goto(`${rp.origin}/dashboard/login`);
      await page.getByRole('heading', { level: 1, name: 'Log in to continue to Dashboard' }).waitFor();
      await page.getByRole('link', { name: 'Log in with Company SSO' }).click();
      await page.getByLabel('Username').fill('dana');
      await page.getByRole('button', { name: 'Sign in' }).click();
      // Back at Roster's sign-in page with a session, which goes on by itself (a first-party application: no consent).
      await page.locator('[data-claim="preferred_username"]').waitFor();
      expect(await page.locator('[data-claim="preferred_username"]').textContent()).toBe('dana');
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      await rp.close();
    }
  }, 120_000);

  it('refuses a forged callback, and keeps password login for Owners when the provider is down', async () => {
    const { server, browser } = started();
    const { origin } = server;
    const context = await browser.newContext({ viewport: laptop });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // A callback nobody started in this browser.
    await page.goto(`${origin}/auth/sso/${providerId}/callback?code=forged&state=forged`);
    await page
      .locator('[data-sso-error]')
      .getByText(/started in another browser/)
      .waitFor();

    await idp.close();
    await page.goto(`${origin}/login`);
    await page.getByRole('link', { name: 'Log in with Company SSO' }).click();
    await page.locator('[data-sso-error]').getByText('The provider could not be reached.', { exact: false }).waitFor();
    await expectAccessible(page, 'login page: provider down');
    await submitLogin(page, origin, server.owner, 'correct horse battery staple 42');
    await page.getByRole('heading', { level: 1, name: `Welcome, ${server.owner}` }).waitFor();
    await context.close();
  }, 120_000);
});
