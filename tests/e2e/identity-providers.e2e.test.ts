import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { horizontalOverflow, laptop } from './support/both-sizes.js';
import { chromiumAvailable, chromiumSkipReason, screenshot, watchPageProblems } from './support/browser.js';
import { browserSuiteOptions, useBrowserAndServer } from './support/browser-suite.js';
import { callApi, createPerson, expectAccessible, loginAsFreshOwner, ownerPassword, type SignedIn } from './support/console-owner.js';
import { closeNotifications, firstLoginInNewContext, pickOption } from './support/console-people.js';
import { screenshotDir } from './support/paths.js';

if (!chromiumAvailable) console.warn(`Identity providers browser tests ${chromiumSkipReason}`);

/** Where these screenshots go: ROSTER_SCREENSHOT_DIR when set (to look at them), else test-results/screenshots. */
const screens = process.env.ROSTER_SCREENSHOT_DIR ?? screenshotDir;

/**
 * Checks the page as it is now at the laptop size only (one size per state keeps the suite short): axe finds nothing
 * serious, nothing overflows sideways, and a screenshot `<name>.png` is saved.
 */
async function check(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await mkdir(screens, { recursive: true });
  await expectAccessible(page, name);
  expect(await horizontalOverflow(page), `${name} overflows sideways`).toBeLessThanOrEqual(0);
  const fullPage = options.fullPage ?? true;
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, join(screens, `${name}.png`), { fullPage });
}

/** A loopback port nothing listens on (taken and let go at once): Test connection against it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Answers `GET /auth/login-methods` for `page` as a server with SSO login does (issue 16 part 2), whatever
 * this server says: the providers (`id` → label) and who may log in with a password.
 */
async function offerIdentityProviders(page: Page, providers: Record<string, string>, passwordLogin: 'everyone' | 'owners'): Promise<void> {
  const identityProviders = Object.entries(providers).map(([id, label]) => ({ id, label, startUrl: `/auth/sso/${id}/start` }));
  await page.route('**/api/v1/auth/login-methods', (route) =>
    route.fulfill({ json: { password: true, passkey: false, identityProviders, passwordLogin } }),
  );
}

// docs/sso.md, SPEC §12.2: Settings → Identity providers
describe.skipIf(!chromiumAvailable)('Identity providers in the console', browserSuiteOptions, () => {
  const started = useBrowserAndServer();
  // The first Owner's session, signed in by the first test (its temporary password works once) and used by the others.
  let owner: SignedIn | undefined;
  afterAll(async () => {
    await owner?.context.close();
  });

  it('registers a provider, tests its connection (working and refused), edits a group mapping and removes it', async () => {
    const { server, browser } = started();
    const { origin } = server;
    owner = await loginAsFreshOwner(browser, server, laptop);
    const { context, page } = owner;
    page.setDefaultTimeout(15_000);
    const problems = watchPageProblems(page);
    await callApi(context, origin, 'POST', '/groups', { name: 'platform-team', description: 'Builds the platform.' });
    await callApi(context, origin, 'POST', '/groups', { name: 'operations', description: 'Runs it.' });
    // A real issuer: Roster's own OpenID Connect provider, exactly as its discovery document names itself.
    const discovery = await context.request.get(`${origin}/.well-known/openid-configuration`);
    const discovered = (await discovery.json()) as { issuer: string; authorization_endpoint: string; jwks_uri: string };
    const { issuer } = discovered;
    const refused = `http://127.0.0.1:${await closedPort()}`;

    // Settings → Identity providers, from the Settings sub-menu; nothing registered yet.
    await page.goto(`${origin}/settings/roles`);
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Identity providers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Identity providers' }).waitFor();
    await page.getByText('No identity providers yet').waitFor();
    await check(page, 'identity-providers-empty');

    // Register: what is missing is said at the fields.
    await page.getByRole('button', { name: 'Register provider' }).click();
    const register = page.getByRole('dialog', { name: 'Register provider' });
    await register.getByRole('button', { name: 'Register provider' }).click();
    await register.getByText('Enter the label of the login button.').waitFor();
    await register.getByText('Enter the issuer of the provider.').waitFor();
    await register.getByText('Enter the client secret Roster has at the provider.').waitFor();
    await register.getByLabel('Label').fill('Company SSO');
    const issuerField = register.getByRole('textbox', { name: 'Issuer' });

    // Test connection before saving: an address where nothing listens says exactly that…
    await issuerField.fill(refused);
    await register.getByRole('button', { name: 'Test connection' }).click();
    const failed = register.locator('[data-test-connection="failed"]');
    await failed.waitFor();
    expect(await failed.locator('[data-test-error]').textContent()).toMatch(/^Connection refused/);
    await check(page, 'identity-providers-test-refused', { fullPage: false });
    // …and a real issuer shows what the login will use. Typing another issuer hides the result of the last one.
    await issuerField.fill(issuer);
    await failed.waitFor({ state: 'detached' });
    await register.getByRole('button', { name: 'Test connection' }).click();
    const works = register.locator('[data-test-connection="ok"]');
    await works.waitFor();
    await works.getByText(discovered.authorization_endpoint, { exact: true }).waitFor();
    await works.getByText(discovered.jwks_uri, { exact: true }).waitFor();
    await check(page, 'identity-providers-test-ok', { fullPage: false });

    await register.getByLabel('Client ID').fill('roster');
    await register.getByLabel(/^Client secret/).fill('a client secret');
    expect(await register.getByLabel('Scopes').inputValue()).toBe('openid profile email');
    await register.getByRole('checkbox', { name: 'Create people at their first login' }).check();
    // A group mapping: the group is picked like everywhere else.
    await register.getByRole('button', { name: 'Add mapping' }).click();
    await register.getByRole('button', { name: 'Register provider' }).click();
    await register.getByText('Enter the value of the groups claim.').waitFor();
    await register.getByText('Pick the Roster group.').waitFor();
    await register.getByLabel('Provider group 1').fill('platform-team');
    await pickOption(page, 'Roster group 1', 'platform', /^platform-team/);
    await check(page, 'identity-providers-register', { fullPage: false });
    await register.getByRole('button', { name: 'Register provider' }).click();

    // The redirect URI to register at the provider, with its copy button.
    const registered = page.getByRole('dialog', { name: 'Company SSO registered' });
    const redirectUri = (await registered.locator('[data-copyable="redirect URI"]').textContent()) ?? '';
    expect(redirectUri).toMatch(new RegExp(`^${origin}/auth/sso/[0-9a-f-]{36}/callback$`));
    await registered.getByRole('button', { name: 'Copy redirect URI' }).waitFor();
    await check(page, 'identity-providers-registered', { fullPage: false });
    await registered.getByRole('button', { name: 'Done' }).click();
    await registered.waitFor({ state: 'detached' });

    // Listed: issuer, creation of unknown people, linking on a verified email.
    const row = page.getByRole('table', { name: 'Identity providers' }).locator('tr[data-identity-provider="Company SSO"]');
    await row.getByText(issuer).waitFor();
    expect((await row.locator('td').allTextContents()).slice(2)).toEqual(['Yes', 'No']);
    await check(page, 'identity-providers-list');

    // Its page: the redirect URI, Test connection of the saved provider, the settings and the mappings.
    await row.getByRole('link', { name: 'Company SSO' }).click();
    await page.getByRole('heading', { level: 1, name: 'Company SSO' }).waitFor();
    expect(await page.locator('[data-copyable="redirect URI"]').textContent()).toBe(redirectUri);
    await page.locator('[data-mapping="platform-team"]').getByRole('link', { name: 'platform-team' }).waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.locator('[data-test-connection="ok"]').waitFor();
    await check(page, 'identity-provider-page');

    // Edit: the secret field is empty and says it keeps the stored secret; the mapping moves to another group.
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Company SSO' });
    expect(await edit.getByLabel(/^Replace client secret/).inputValue()).toBe('');
    await edit.getByText('Leave empty to keep the stored secret.').waitFor();
    expect(await edit.getByLabel('Provider group 1').inputValue()).toBe('platform-team');
    await edit.getByLabel('Provider group 1').fill('ops');
    await pickOption(page, 'Roster group 1', 'oper', /^operations/);
    await check(page, 'identity-providers-edit', { fullPage: false });
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Company SSO saved').waitFor();
    await edit.waitFor({ state: 'detached' });
    await closeNotifications(page);
    await page.locator('[data-mapping="ops"]').getByRole('link', { name: 'operations' }).waitFor();
    expect(await page.locator('[data-mapping="platform-team"]').count()).toBe(0);
    const providers = await callApi<{ items: { label: string; groupMappings: { value: string; group: { name: string } }[] }[] }>(
      context,
      origin,
      'GET',
      '/identity-providers',
    );
    expect(providers.items.map((provider) => provider.groupMappings)).toEqual([
      [{ value: 'ops', group: expect.objectContaining({ name: 'operations' }) }],
    ]);

    // Remove: asks, says what goes with it, then leads back to the list.
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    const remove = page.getByRole('dialog', { name: 'Remove Company SSO?' });
    await remove.getByText('every account linked through it is unlinked').waitFor();
    await check(page, 'identity-providers-remove', { fullPage: false });
    await remove.getByRole('button', { name: 'Remove Company SSO' }).click();
    await page.getByText('Company SSO was removed').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Identity providers' }).waitFor();
    await closeNotifications(page);
    await page.getByText('No identity providers yet').waitFor();
    expect(problems).toEqual([]);
  }, 240_000);

  it('shows an Admin neither the page nor its place in the Settings menu', async () => {
    const { server, browser } = started();
    if (!owner) throw new Error('the Owner did not log in');
    const { origin } = server;
    const ada = await createPerson(owner.context, origin, 'ada@example.com', 'ada');
    await callApi(owner.context, origin, 'PUT', `/people/${ada.id}/role`, { role: 'admin' });
    const admin = await firstLoginInNewContext(browser, origin, ada.username, ada.temporaryPassword);
    admin.page.setDefaultTimeout(15_000);
    const problems = watchPageProblems(admin.page);
    await admin.page.goto(`${origin}/settings/roles`);
    const menu = admin.page.getByRole('navigation', { name: 'Settings' });
    await menu.getByRole('link', { name: 'Applications' }).waitFor();
    expect(await menu.getByRole('link', { name: 'Identity providers' }).count()).toBe(0);
    await admin.page.goto(`${origin}/settings/identity-providers`);
    await admin.page.getByRole('heading', { name: "You don't have access to this page" }).waitFor();
    await check(admin.page, 'identity-providers-admin-no-access');
    expect(problems).toEqual([]);
    await admin.context.close();
  }, 120_000);

  it('offers Log in with <label> on the login page, says why an SSO login failed, and opens at the second factor', async () => {
    const { server, browser } = started();
    const { origin } = server;
    const context = await browser.newContext({ viewport: laptop });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems = watchPageProblems(page);
    await offerIdentityProviders(page, { company: 'Company SSO' }, 'owners');
    const ssoLink = page.getByRole('link', { name: 'Log in with Company SSO' });

    // A refusal in plain words, the button, and the password form kept for Owners.
    await page.goto(`${origin}/login?sso_error=not_registered`);
    await page.locator('[data-sso-error]').getByText('No account for this login').waitFor();
    expect(await ssoLink.getAttribute('href')).toBe('/auth/sso/company/start');
    await page.getByText('Password login is for Owners only.').waitFor();
    await page.getByLabel('Email or username').waitFor();
    await check(page, 'login-sso');
    // Said once: the address no longer carries it, so a reload does not say it again.
    expect(new URL(page.url()).search).toBe('');

    // The page the person wanted is where the provider's login comes back to; a code this console does not know yet
    // gets the general sentence, never the code.
    await page.goto(`${origin}/login?next=${encodeURIComponent('/groups')}&sso_error=brand_new_code`);
    await page.getByText('Logging in with the identity provider did not work.').waitFor();
    expect(await page.getByText('brand_new_code').count()).toBe(0);
    expect(await ssoLink.getAttribute('href')).toBe(`/auth/sso/company/start?returnTo=${encodeURIComponent('/groups')}`);

    // The sign-in page of an application: the provider's login comes back to it.
    await page.route('**/interaction/*/details', (route) =>
      route.fulfill({
        json: {
          uid: 'sign-in-1',
          prompt: 'login',
          application: { name: 'CI server', clientId: 'app_ci', firstParty: true },
          scopes: ['openid'],
          account: null,
          restricted: null,
        },
      }),
    );
    await page.goto(`${origin}/interaction/sign-in-1`);
    await page.getByRole('heading', { level: 1, name: 'Log in to continue to CI server' }).waitFor();
    expect(await ssoLink.getAttribute('href')).toBe(`/auth/sso/company/start?returnTo=${encodeURIComponent('/interaction/sign-in-1')}`);

    // Sent back at the second factor: the step opens by itself; without a pending login the code is refused and the
    // person is back at the first step.
    await page.goto(`${origin}/login?step=second-factor&returnTo=${encodeURIComponent('/groups')}`);
    await page.getByRole('heading', { level: 1, name: 'Two-factor authentication' }).waitFor();
    await page.getByText('Your identity provider confirmed who you are.').waitFor();
    await check(page, 'login-sso-second-factor');
    await page.getByRole('textbox', { name: 'Authentication code' }).fill('123456');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('Your login expired or took too many attempts.').waitFor();
    await ssoLink.waitFor();
    expect(new URL(page.url()).searchParams.get('step')).toBeNull();

    // A server without SSO login (the address unknown): no button and no error.
    await page.unroute('**/api/v1/auth/login-methods');
    await page.route('**/api/v1/auth/login-methods', (route) =>
      route.fulfill({ status: 404, contentType: 'application/problem+json', json: { code: 'not_found', title: 'Not found', status: 404 } }),
    );
    await page.goto(`${origin}/login`);
    await page.getByLabel('Email or username').waitFor();
    expect(await ssoLink.count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByText('Password login is for Owners only.').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('lists the linked accounts on the profile, links one through the provider and unlinks one', async () => {
    const { server } = started();
    if (!owner) throw new Error('the Owner did not log in');
    const { origin } = server;
    const page = await owner.context.newPage();
    page.setDefaultTimeout(15_000);
    const problems = watchPageProblems(page);
    // The server side of linking as issue 16 part 2 describes it, whatever this one says.
    await offerIdentityProviders(page, { company: 'Company SSO', google: 'Google Workspace' }, 'everyone');
    let linked = [
      {
        id: 'identity-1',
        identityProviderId: 'company',
        label: 'Company SSO',
        email: 'owner@corp.example.com',
        createdAt: '2026-11-30T10:00:00.000Z',
        lastLoginAt: null,
      },
    ];
    const linkRequests: unknown[] = [];
    await page.route('**/api/v1/me/identities', (route) => {
      if (route.request().method() === 'GET') return route.fulfill({ json: { items: linked, nextCursor: null } });
      linkRequests.push(route.request().postDataJSON());
      // The provider would log the person in and send them back here; the test sends them back at once.
      return route.fulfill({ json: { redirectUrl: `${origin}/profile?sso_linked=${encodeURIComponent('Google Workspace')}` } });
    });
    await page.route('**/api/v1/me/identities/*', (route) => {
      linked = [];
      return route.fulfill({ status: 204 });
    });

    await page.goto(`${origin}/profile`);
    const section = page.getByRole('region', { name: 'Linked accounts' });
    const company = section.locator('[data-linked-account="Company SSO"]');
    await company.getByText('owner@corp.example.com').waitFor();
    await company.getByText('Last login never').waitFor();
    await page.getByRole('navigation', { name: 'On this page' }).getByRole('link', { name: 'Linked accounts' }).waitFor();
    await section.scrollIntoViewIfNeeded();
    await check(page, 'profile-linked-accounts', { fullPage: false });

    // Link: the current password first (this Owner has no 2FA), then the provider, which sends the browser back.
    await section.getByRole('button', { name: 'Link Google Workspace' }).click();
    const link = page.getByRole('dialog', { name: 'Link your account at Google Workspace' });
    await link.getByRole('button', { name: 'Continue to Google Workspace' }).click();
    await link.getByText('Enter your current password.').waitFor();
    await link.getByLabel('Current password').fill(ownerPassword);
    await check(page, 'profile-link-dialog', { fullPage: false });
    await link.getByRole('button', { name: 'Continue to Google Workspace' }).click();
    await section.getByText('Your account at Google Workspace is linked.').waitFor();
    expect(linkRequests).toEqual([{ identityProviderId: 'google', currentPassword: ownerPassword }]);
    await page.waitForURL(`${origin}/profile`);

    // Unlink asks first.
    await section.getByRole('button', { name: 'Unlink Company SSO' }).click();
    const unlink = page.getByRole('dialog', { name: 'Unlink Company SSO?' });
    await unlink.getByText('can no longer log you in to Roster').waitFor();
    await unlink.getByRole('button', { name: 'Unlink', exact: true }).click();
    await unlink.waitFor({ state: 'detached' });
    await section.getByText('Your account at Company SSO is unlinked').waitFor();
    await section.getByRole('button', { name: 'Link Company SSO' }).waitFor();

    // A link the server refused, in plain words.
    await page.goto(`${origin}/profile?sso_error=identity_taken`);
    await section.getByText('already linked to another Roster account').waitFor();
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
