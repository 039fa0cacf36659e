import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBothSizes, laptop } from './support/both-sizes.js';
import { chromiumAvailable, chromiumSkipReason, launchBrowser, watchPageProblems } from './support/browser.js';
import { browserSuiteOptions } from './support/browser-suite.js';
import { ensureConsoleBuilt } from './support/console-build.js';
import { callApi, copySecret, createPerson, loginAsFreshOwner, type SignedIn } from './support/console-owner.js';
import { closeNotifications, firstLoginInNewContext, pickOption } from './support/console-people.js';
import { type ServerProcess, startServerProcess } from './support/server-process.js';

if (!chromiumAvailable) console.warn(`OpenID Connect applications browser tests ${chromiumSkipReason}`);

const secretShape = /^rcs_[0-9A-Za-z]{40}$/;

/** The one-time client secret shown in `dialog`. */
async function shownSecret(dialog: Locator): Promise<string> {
  const secret = (await dialog.locator('[data-secret]').textContent())?.trim() ?? '';
  expect(secret, 'the client secret shown once').toMatch(secretShape);
  return secret;
}

/** The Applications table's row of `name`. */
function applicationRow(page: Page, name: string): Locator {
  return page.getByRole('table', { name: 'Applications' }).locator(`tr[data-application="${name}"]`);
}

/**
 * A consent as the provider stores it when a person allows a third-party application (SPEC §12.1), written straight
 * into the test's own database: the browser test is about the profile page, not about the authorization flow.
 */
function insertConsent(databaseFile: string, userId: string, applicationId: string, scopes: string[]): void {
  const database = new Database(databaseFile);
  try {
    database.pragma('busy_timeout = 5000');
    const at = new Date().toISOString();
    database
      .prepare('INSERT INTO oidc_consents (user_id, application_id, scopes, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(userId, applicationId, JSON.stringify(scopes), at, at);
  } finally {
    database.close();
  }
}

function consentCount(databaseFile: string, userId: string): number {
  const database = new Database(databaseFile, { readonly: true });
  try {
    database.pragma('busy_timeout = 5000');
    const row = database.prepare('SELECT count(*) AS n FROM oidc_consents WHERE user_id = ?').get(userId) as { n: number };
    return row.n;
  } finally {
    database.close();
  }
}

// docs/product/console.md#applications, docs/product/console.md#profile-settings
describe.skipIf(!chromiumAvailable)('Applications (OpenID Connect) in the console', browserSuiteOptions, () => {
  // Like useBrowserAndServer, but the test knows where the database is, to seed a consent into it.
  let dataDir: string | undefined;
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    await ensureConsoleBuilt();
    dataDir = await mkdtemp(join(tmpdir(), 'roster-e2e-oidc-'));
    server = await startServerProcess({ env: { ROSTER_DATABASE_URL: `sqlite:${join(dataDir, 'roster.db')}` } });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 30_000);

  // The first Owner's session, signed in by the first test (its temporary password works once) and used by both.
  let owner: SignedIn | undefined;
  afterAll(async () => {
    await owner?.context.close();
  });

  it('registers an application with its secret shown once, lists it, rotates its secret, edits and removes it', async () => {
    if (!server || !browser) throw new Error('the server or the browser did not start');
    const { origin } = server;
    owner = await loginAsFreshOwner(browser, server, laptop);
    const { context, page } = owner;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    page.setDefaultTimeout(15_000);
    const problems = watchPageProblems(page);
    await callApi(context, origin, 'POST', '/groups', { name: 'ci-users', description: 'May use the CI server.' });

    // Settings → Applications, from the Settings sub-menu; nothing registered yet.
    await page.goto(`${origin}/settings/roles`);
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Applications' }).click();
    await page.getByRole('heading', { level: 1, name: 'Applications' }).waitFor();
    await page.getByText('Other applications of the platform sign people in through Roster').waitFor();
    await checkBothSizes(page, 'oidc-applications-empty');

    // Register application: what is missing is said at the fields.
    await page.getByRole('button', { name: 'Register application' }).click();
    const register = page.getByRole('dialog', { name: 'Register application' });
    await register.getByRole('button', { name: 'Register application' }).click();
    await register.getByText('Enter a name.').waitFor();
    await register.getByText('Enter at least one redirect URI.').waitFor();
    await register.getByLabel('Name').fill('CI server');
    expect(await register.getByRole('radio', { name: 'Confidential' }).isChecked()).toBe(true);
    await register.getByText('exact match; https, or http on localhost').waitFor();
    await register
      .getByRole('textbox', { name: /^Redirect URIs/ })
      .fill('https://ci.example.com/oauth/callback\nhttp://localhost:8080/callback');
    await register.getByLabel('Post-logout redirect URIs').fill('https://ci.example.com/');
    await register.getByRole('radio', { name: 'Members of these groups' }).check();
    await pickOption(page, 'Groups', 'ci', /^ci-users/);
    // An Owner may trust it; authorizeApi is for confidential applications only.
    const firstParty = register.getByRole('checkbox', { name: 'First-party' });
    expect(await firstParty.isDisabled()).toBe(false);
    await firstParty.check();
    await register.getByRole('radio', { name: 'Public' }).check();
    expect(await register.getByRole('checkbox', { name: 'May ask the authorization API about anyone' }).isDisabled()).toBe(true);
    await register.getByRole('radio', { name: 'Confidential' }).check();
    expect(await register.getByRole('checkbox', { name: 'May ask the authorization API about anyone' }).isDisabled()).toBe(false);
    expect(await register.locator('[data-trust-note]').count()).toBe(0);
    await checkBothSizes(page, 'oidc-applications-register', { fullPage: false });
    await register.getByRole('button', { name: 'Register application' }).click();

    // The client id, the discovery URL and the issuer to copy, and the secret, once.
    const registered = page.getByRole('dialog', { name: 'Application CI server registered' });
    await registered.getByText('Copy the client secret now: it is shown only once').waitFor();
    const firstSecret = await shownSecret(registered);
    expect(await registered.locator('[data-copyable="client ID"]').textContent()).toMatch(/^app_[0-9A-Za-z]{24}$/);
    expect(await registered.locator('[data-copyable="discovery URL"]').textContent()).toMatch(/\/\.well-known\/openid-configuration$/);
    await registered.locator('[data-copyable="issuer"]').waitFor();
    await checkBothSizes(page, 'oidc-applications-registered', { fullPage: false });
    // Not copied: Done asks first; closing anyway loses it for good.
    await registered.getByRole('button', { name: 'Done' }).click();
    await registered.getByRole('group', { name: 'Close without copying?' }).waitFor();
    await registered.getByRole('button', { name: 'Close anyway' }).click();
    await registered.waitFor({ state: 'detached' });
    expect(await page.locator('[data-secret]').count()).toBe(0);
    expect(await page.content()).not.toContain(firstSecret);

    // Listed: type, first-party, who may sign in.
    const row = applicationRow(page, 'CI server');
    await row.getByText('Confidential').waitFor();
    await row.getByText('First-party').waitFor();
    await row.getByText('ci-users').waitFor();
    await checkBothSizes(page, 'oidc-applications-list');

    // Its page.
    await row.getByRole('link', { name: 'CI server' }).click();
    await page.getByRole('heading', { level: 1, name: 'CI server' }).waitFor();
    await page.getByText('http://localhost:8080/callback').waitFor();
    await checkBothSizes(page, 'oidc-application-page');

    // Rotate secret: asks, says the old one keeps working for 24 hours, then shows the new one once.
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate the client secret of CI server?' });
    await rotate.getByText('The current secret keeps working for 24 hours, then stops.').waitFor();
    await checkBothSizes(page, 'oidc-application-rotate', { fullPage: false });
    await rotate.getByRole('button', { name: 'Rotate secret' }).click();
    await rotate.getByText('Copy the client secret now: it is shown only once').waitFor();
    const secondSecret = await shownSecret(rotate);
    expect(secondSecret).not.toBe(firstSecret);
    await checkBothSizes(page, 'oidc-application-rotated', { fullPage: false });
    // Copied: Done closes without asking.
    await copySecret(rotate, 'client secret of CI server');
    await rotate.getByRole('button', { name: 'Done' }).click();
    await rotate.waitFor({ state: 'detached' });
    await page.locator('[data-previous-secret]').waitFor();

    // Edit: a refused redirect URI is shown at its field; a good one is saved.
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = page.getByRole('dialog', { name: 'Edit CI server' });
    const redirects = edit.getByRole('textbox', { name: /^Redirect URIs/ });
    expect(await redirects.inputValue()).toBe('https://ci.example.com/oauth/callback\nhttp://localhost:8080/callback');
    await redirects.fill('http://ci.example.com/callback');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.locator('textarea[aria-invalid="true"]').waitFor();
    await redirects.fill('https://ci.example.com/oauth/callback\nhttps://ci.example.com/oauth/callback2');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('CI server saved').waitFor();
    await edit.waitFor({ state: 'detached' });
    await closeNotifications(page);
    await page.getByText('https://ci.example.com/oauth/callback2').waitFor();
    expect(await page.getByText('http://localhost:8080/callback').count()).toBe(0);

    // Remove: asks, says what happens, then leads back to the list.
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    const remove = page.getByRole('dialog', { name: 'Remove CI server?' });
    await remove.getByText('through Roster is signed out; its tokens stop working at once').waitFor();
    await checkBothSizes(page, 'oidc-application-remove', { fullPage: false });
    await remove.getByRole('button', { name: 'Remove CI server' }).click();
    await page.getByText('CI server was removed').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Applications' }).waitFor();
    await closeNotifications(page);
    await page.getByText('No applications yet').waitFor();
    expect(problems).toEqual([]);
  }, 240_000);

  it('shows an Admin the trust options disabled, refuses the page to a Member, and revokes a consent on the profile', async () => {
    if (!server || !browser || !dataDir || !owner) throw new Error('the server, the browser or the Owner did not start');
    const { origin } = server;
    const { context } = owner;
    const databaseFile = join(dataDir, 'roster.db');

    // Two applications, through the API: a third-party one anybody may use, and a trusted one only an Owner may change.
    const dashboards = await callApi<{ application: { id: string } }>(context, origin, 'POST', '/applications', {
      name: 'Dashboards',
      type: 'public',
      redirectUris: ['https://dashboards.example.com/callback'],
    });
    const wiki = await callApi<{ application: { id: string } }>(context, origin, 'POST', '/applications', {
      name: 'Internal wiki',
      type: 'confidential',
      redirectUris: ['https://wiki.example.com/callback'],
      firstParty: true,
    });

    // An Admin registers only third-party applications: the trust options are there, disabled, with the reason.
    const ada = await createPerson(context, origin, 'ada@example.com', 'ada');
    await callApi(context, origin, 'PUT', `/people/${ada.id}/role`, { role: 'admin' });
    const admin = await firstLoginInNewContext(browser, origin, ada.username, ada.temporaryPassword);
    admin.page.setDefaultTimeout(15_000);
    const adminProblems = watchPageProblems(admin.page);
    await admin.page.goto(`${origin}/settings/roles`);
    await admin.page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Applications' }).click();
    await applicationRow(admin.page, 'Dashboards').waitFor();
    await admin.page.getByRole('button', { name: 'Register application' }).click();
    const adminRegister = admin.page.getByRole('dialog', { name: 'Register application' });
    await adminRegister.getByText('Only Owners can make an application first-party').scrollIntoViewIfNeeded();
    for (const option of ['First-party', 'May ask the authorization API about anyone', "May use Roster's API as the person"])
      expect(await adminRegister.getByRole('checkbox', { name: option }).isDisabled(), option).toBe(true);
    await checkBothSizes(admin.page, 'oidc-applications-register-admin', { fullPage: false });
    await adminRegister.getByRole('button', { name: 'Cancel' }).click();
    await adminRegister.waitFor({ state: 'detached' });
    // A trusted application: the Admin sees it, and the server says why they may not change it.
    await admin.page.goto(`${origin}/settings/applications/${wiki.application.id}`);
    await admin.page.getByRole('heading', { level: 1, name: 'Internal wiki' }).waitFor();
    expect(await admin.page.getByRole('button', { name: 'Edit', exact: true }).count()).toBe(0);
    await admin.page.locator('[data-manage-reason]').waitFor();
    await checkBothSizes(admin.page, 'oidc-application-page-admin');
    expect(adminProblems).toEqual([]);
    await admin.context.close();

    // A Member: no Settings in the menu, and the no-access page at the address.
    const mia = await createPerson(context, origin, 'mia@example.com', 'mia');
    const member = await firstLoginInNewContext(browser, origin, mia.username, mia.temporaryPassword);
    member.page.setDefaultTimeout(15_000);
    const memberProblems = watchPageProblems(member.page);
    expect(await member.page.getByRole('navigation', { name: 'Server menu' }).getByRole('link', { name: 'Settings' }).count()).toBe(0);
    await member.page.goto(`${origin}/settings/applications`);
    await member.page.getByRole('heading', { name: "You don't have access to this page" }).waitFor();
    await checkBothSizes(member.page, 'oidc-applications-member-no-access');
    await member.page.goto(`${origin}/settings/applications/${dashboards.application.id}`);
    await member.page.getByRole('heading', { name: "You don't have access to this page" }).waitFor();

    // Profile → Applications: the consent she gave Dashboards, in plain words; Revoke asks, then withdraws it.
    insertConsent(databaseFile, mia.id, dashboards.application.id, ['openid', 'profile', 'email', 'offline_access']);
    await member.page.goto(`${origin}/profile#applications`);
    const section = member.page.getByRole('region', { name: 'Applications' });
    const consent = section.locator('[data-consent="Dashboards"]');
    for (const words of ['Know who you are', 'Your username', 'Your email address', 'Stay signed in while you are away'])
      await consent.getByText(words).waitFor();
    await checkBothSizes(member.page, 'oidc-profile-applications');
    await consent.getByRole('button', { name: 'Revoke Dashboards' }).click();
    const revoke = member.page.getByRole('dialog', { name: 'Revoke Dashboards?' });
    await revoke.getByText('You are signed out of').waitFor();
    await checkBothSizes(member.page, 'oidc-profile-revoke', { fullPage: false });
    await revoke.getByRole('button', { name: 'Revoke', exact: true }).click();
    await revoke.waitFor({ state: 'detached' });
    await section.getByText('Dashboards can no longer sign you in without asking again').waitFor();
    await section.getByText('You have not allowed any application yet.').waitFor();
    expect(consentCount(databaseFile, mia.id)).toBe(0);
    expect(memberProblems).toEqual([]);
    await member.context.close();
  }, 240_000);
});
