import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamIdp, type UpstreamIdp } from '../support/upstream-idp.js';
import { laptop } from './support/both-sizes.js';
import { chromiumAvailable, chromiumSkipReason, screenshot, watchPageProblems } from './support/browser.js';
import { browserSuiteOptions, useBrowserAndServer } from './support/browser-suite.js';
import { callApi, expectAccessible, loginAsFreshOwner } from './support/console-owner.js';
import { codeFor } from './support/totp.js';

if (!chromiumAvailable) console.warn(`SSO re-authentication browser tests ${chromiumSkipReason}`);

// SPEC §12.2 (docs/sso.md#confirming-its-you-without-a-password), in Chromium against a real Roster server and a real
// `oidc-provider` as the company's provider: a person created by SSO has no password, so the TOTP setup dialog offers
// "Confirm it's you with Company SSO"; after a fresh login at the provider, creating an API token and the same dialog
// work without a password.

const shots = '/tmp/reauth-shots';

describe.skipIf(!chromiumAvailable)('Confirming it is you with the identity provider instead of a password', browserSuiteOptions, () => {
  const started = useBrowserAndServer();
  let idp: UpstreamIdp;
  beforeAll(async () => {
    idp = await startUpstreamIdp();
    mkdirSync(shots, { recursive: true });
  });
  afterAll(async () => {
    await idp?.close();
  });

  it('lets a person created by SSO set up an authenticator app after logging in again at the provider', async () => {
    const { server, browser } = started();
    const { origin } = server;
    const owner = await loginAsFreshOwner(browser, server, laptop);
    const { identityProvider } = await callApi<{ identityProvider: { id: string; redirectUri: string } }>(
      owner.context,
      origin,
      'POST',
      '/identity-providers',
      {
        label: 'Company SSO',
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        scopes: ['openid', 'profile', 'email'],
        createUnknown: true,
        linkVerifiedEmail: false,
      },
    );
    idp.redirectUris.push(identityProvider.redirectUri);
    await owner.context.close();
    idp.accounts.set('rosa', { sub: 'upstream-rosa', email: 'rosa@corp.example.com', email_verified: true, preferred_username: 'rosa' });

    const context = await browser.newContext({ viewport: laptop });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems = watchPageProblems(page);
    await page.goto(`${origin}/login`);
    await page.getByRole('link', { name: 'Log in with Company SSO' }).click();
    await page.getByLabel('Username').fill('rosa');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Welcome, rosa' }).waitFor();

    await page.goto(`${origin}/profile#two-factor`);
    const section = page.getByRole('region', { name: 'Two-factor authentication' });
    await section.getByRole('button', { name: 'Set up authenticator app' }).click();
    const proof = page.getByRole('dialog', { name: 'Set up an authenticator app' });
    const confirm = proof.getByRole('button', { name: "Confirm it's you with Company SSO" });
    await confirm.waitFor();
    expect(await proof.getByLabel('Current password').count()).toBe(0);
    // Continue without confirming: the server asks for the fresh login, and the dialog says so.
    await proof.getByRole('button', { name: 'Continue' }).click();
    await proof
      .getByRole('alert')
      .getByText(/Confirm it’s you with your identity provider first/)
      .waitFor();
    await expectAccessible(page, 'reauthentication confirm state');
    await screenshot(page, `${shots}/confirm-dialog.png`, { fullPage: false });

    await confirm.click();
    // The provider asks for a login again (prompt=login), although its session is still there.
    await page.getByRole('heading', { level: 1, name: 'Company SSO' }).waitFor();
    await page.getByLabel('Username').fill('rosa');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/For the next 5 minutes \(until/).waitFor();
    expect(new URL(page.url()).pathname).toBe('/profile');
    await screenshot(page, `${shots}/after-return.png`, { fullPage: false });

    // Within the 5 minutes, every change that asks for the password works without it: first the personal API token.
    const tokens = page.getByRole('region', { name: 'API Token' });
    await tokens.getByRole('button', { name: 'Create API token' }).click();
    const create = page.getByRole('dialog', { name: 'Create an API token' });
    await create.getByText(/changes here need no password/).waitFor();
    await create.getByRole('button', { name: 'Create API token' }).click();
    await page.getByRole('dialog', { name: 'Your new API token' }).getByLabel('Your new API token').waitFor();
    await page.getByRole('dialog', { name: 'Your new API token' }).getByRole('button', { name: 'Copy token' }).click();
    // Copying is asynchronous (the Clipboard API): until it has finished, Done asks "close without copying?" first.
    await page.getByRole('dialog', { name: 'Your new API token' }).getByRole('button', { name: 'Copied' }).waitFor();
    await page.getByRole('dialog', { name: 'Your new API token' }).getByRole('button', { name: 'Done' }).click();
    await page.getByRole('dialog', { name: 'Your new API token' }).waitFor({ state: 'detached' });

    await section.getByRole('button', { name: 'Set up authenticator app' }).click();
    await proof.getByText(/changes here need no password/).waitFor();
    await proof.getByRole('button', { name: 'Continue' }).click();
    const scan = page.getByRole('dialog', { name: 'Scan the QR code' });
    const key = ((await scan.getByLabel('Setup key').textContent()) ?? '').replaceAll(/\s/g, '');
    expect(key).toMatch(/^[A-Z2-7]{16,}$/);
    await scan.getByLabel('Code from the app').fill(codeFor(key));
    await scan.getByRole('button', { name: 'Confirm' }).click();
    const codesDialog = page.getByRole('dialog', { name: 'Your recovery codes' });
    await codesDialog.getByRole('listitem').nth(9).waitFor();
    await codesDialog.getByRole('button', { name: 'Copy codes' }).click();
    // Copying is asynchronous: until it has finished, Done asks "close without saving?" first.
    await codesDialog.getByRole('button', { name: 'Copied' }).waitFor();
    await codesDialog.getByRole('button', { name: 'Done' }).click();
    await codesDialog.waitFor({ state: 'detached' });

    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
  it('lets a person created by SSO set a first password after logging in again at the provider', async () => {
    const { server, browser } = started();
    const { origin } = server;
    idp.accounts.set('sam', { sub: 'upstream-sam', email: 'sam@corp.example.com', email_verified: true, preferred_username: 'sam' });
    const context = await browser.newContext({ viewport: laptop });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems = watchPageProblems(page);
    await page.goto(`${origin}/login`);
    await page.getByRole('link', { name: 'Log in with Company SSO' }).click();
    await page.getByLabel('Username').fill('sam');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Welcome, sam' }).waitFor();

    await page.goto(`${origin}/profile#password`);
    const section = page.getByRole('region', { name: 'Password' });
    await section.getByText('have no password here', { exact: false }).first().waitFor();
    expect(await section.getByLabel('Current password').count()).toBe(0);
    await section.getByRole('button', { name: "Confirm it's you with Company SSO" }).click();
    await page.getByLabel('Username').fill('sam');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/For the next 5 minutes \(until/).waitFor();

    const password = 'a long first passphrase for sam 42';
    await section.getByLabel('New password', { exact: true }).fill(password);
    await section.getByLabel('Confirm new password').fill(password);
    await section.getByRole('button', { name: 'Set password' }).click();
    await section.getByText('Password changed.', { exact: false }).waitFor();
    await section.scrollIntoViewIfNeeded();
    await expectAccessible(page, 'first password set');
    await screenshot(page, `${shots}/first-password.png`, { fullPage: false });

    // Now the password logs sam in without the provider.
    const other = await browser.newContext({ baseURL: origin });
    const login = await other.request.post('/api/v1/auth/login', { data: { login: 'sam', password } });
    expect(login.status()).toBe(200);
    await other.close();
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
