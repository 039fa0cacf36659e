import { describe, expect, it } from 'vitest';
import { checkBothSizes } from './support/both-sizes.js';
import { chromiumAvailable, chromiumSkipReason, watchPageProblems } from './support/browser.js';
import { browserSuiteOptions } from './support/browser-suite.js';
import { expectAccessible, loginAsFreshOwner, ownerPassword, snapshot, submitLogin } from './support/console-owner.js';
import { addVirtualAuthenticator, useBrowserAndLocalhostServer } from './support/localhost-server.js';

if (!chromiumAvailable) console.warn(`WebAuthn browser tests ${chromiumSkipReason}`);

// docs/product/console.md#two-factor-authentication, docs/product/security-settings.md#security-keys-and-passkeys: the
// real ceremonies in Chromium with the DevTools virtual authenticator, on http://localhost.
describe.skipIf(!chromiumAvailable)('Security keys and passkeys in the console', browserSuiteOptions, () => {
  const started = useBrowserAndLocalhostServer();
  /** The recovery codes shown when the first passkey turned 2FA on (the second test logs in with one). */
  let recoveryCodes: string[] = [];

  it('adds a passkey in Profile settings, renames it, signs in with it alone, and answers the second step with it', async () => {
    const { server, browser } = started();
    const { context, page } = await loginAsFreshOwner(browser, server);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    const problems = watchPageProblems(page);
    const authenticator = await addVirtualAuthenticator(page, 'passkey');

    await page.goto(`${server.origin}/profile#two-factor`);
    const section = page.getByRole('region', { name: 'Two-factor authentication' });
    await section.getByRole('button', { name: 'Add security key or passkey' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a security key or passkey' });
    // Nothing typed: both fields say what they need, and nothing reaches the authenticator.
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await dialog.getByText('Give the key a name, such as').waitFor();
    await dialog.getByText('Enter your current password.').waitFor();
    await dialog.getByLabel('Name').fill('Work laptop');
    await dialog.getByLabel('Current password').fill('not my password at all');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await dialog.getByText('This is not your current password.').waitFor();
    expect(await authenticator.credentials()).toHaveLength(0);
    await dialog.getByLabel('Current password').fill(ownerPassword);
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The first key turned 2FA on: the recovery codes are shown once.
    const codesDialog = page.getByRole('dialog', { name: 'Your recovery codes' });
    await codesDialog.getByRole('listitem').nth(9).waitFor();
    recoveryCodes = await codesDialog.getByRole('listitem').allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    await codesDialog.getByRole('button', { name: 'Copy codes' }).click();
    // Copying is asynchronous: until it has finished, Done asks "close without saving?" first.
    await codesDialog.getByRole('button', { name: 'Copied' }).waitFor();
    await codesDialog.getByRole('button', { name: 'Done' }).click();
    await codesDialog.waitFor({ state: 'detached' });
    const key = section.getByRole('listitem').filter({ hasText: 'Work laptop' });
    await key.getByText('Passkey', { exact: true }).waitFor();
    await section.getByText('“Work laptop” added.').waitFor();
    const stored = await authenticator.credentials();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.isResidentCredential).toBe(true);
    await section.scrollIntoViewIfNeeded();
    await checkBothSizes(page, 'webauthn-profile-passkey-added');

    // Renaming needs the password and, 2FA being on now, a second factor: a recovery code here.
    await section.getByRole('button', { name: 'Rename Work laptop' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename security key' });
    await rename.getByLabel('Name', { exact: true }).fill('Laptop passkey');
    await rename.getByLabel('Current password').fill(ownerPassword);
    await rename.getByLabel('Authentication code').fill(recoveryCodes[1] ?? '');
    await rename.getByRole('button', { name: 'Save name' }).click();
    await rename.waitFor({ state: 'detached' });
    await section.getByText('Renamed to “Laptop passkey”.').waitFor();
    await section.getByRole('listitem').filter({ hasText: 'Laptop passkey' }).waitFor();

    // Log out, then the login page's passkey button is a complete login.
    await page.getByRole('button', { name: 'User menu' }).click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
    await checkBothSizes(page, 'webauthn-login-page');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('heading', { level: 1, name: `Welcome, ${server.owner}` }).waitFor();
    const afterPasskeyLogin = (await authenticator.credentials())[0]?.signCount ?? 0;
    expect(afterPasskeyLogin).toBeGreaterThan(0);

    // With 2FA on, a password login is followed by a second step, which the same key answers.
    await page.getByRole('button', { name: 'User menu' }).click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
    await submitLogin(page, server.origin, server.owner, ownerPassword);
    await page.getByRole('heading', { level: 1, name: 'Two-factor authentication' }).waitFor();
    await page.getByRole('button', { name: 'Use a security key' }).click();
    await page.getByRole('heading', { level: 1, name: `Welcome, ${server.owner}` }).waitFor();
    expect((await authenticator.credentials())[0]?.signCount).toBeGreaterThan(afterPasskeyLogin);
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  it('asks for a second factor before another key is added once 2FA is on', async () => {
    const { server, browser } = started();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = watchPageProblems(page);
    const authenticator = await addVirtualAuthenticator(page, 'passkey');
    // The first test's passkey turned 2FA on: the password is followed by a second step (a recovery code here, since
    // this browser's authenticator holds no key of the account).
    await submitLogin(page, server.origin, server.owner, ownerPassword);
    await page.getByRole('heading', { level: 1, name: 'Two-factor authentication' }).waitFor();
    await page.getByRole('textbox', { name: 'Authentication code' }).fill(recoveryCodes[0] ?? '');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: `Welcome, ${server.owner}` }).waitFor();

    await page.goto(`${server.origin}/profile#two-factor`);
    const section = page.getByRole('region', { name: 'Two-factor authentication' });
    await section.getByRole('button', { name: 'Add security key or passkey' }).click();
    const add = page.getByRole('dialog', { name: 'Add a security key or passkey' });
    await add.getByLabel('Name').fill('Phone');
    await add.getByLabel('Current password').fill(ownerPassword);
    // 2FA is on (the first test's passkey): the change needs a second factor too. This browser's own authenticator
    // holds no key of this account yet, so the person types nothing and the form says what is missing.
    await add.getByRole('button', { name: 'Continue' }).click();
    await add.getByText('Enter a code, or use a security key.').waitFor();
    await snapshot(page, 'webauthn-add-needs-second-factor');
    await expectAccessible(page, 'add key dialog asking for a second factor');
    await add.getByRole('button', { name: 'Cancel' }).click();
    expect(await authenticator.credentials()).toHaveLength(0);

    // Removing the passkey (renamed by the first test) needs the same proof; with it gone, no key is listed.
    await section.getByRole('button', { name: 'Remove Laptop passkey' }).click();
    const remove = page.getByRole('dialog', { name: 'Remove security key?' });
    await remove.getByLabel('Current password').fill(ownerPassword);
    await remove.getByLabel('Authentication code').fill(recoveryCodes[2] ?? '');
    await remove.getByRole('button', { name: 'Remove key' }).click();
    await remove.waitFor({ state: 'detached' });
    await section.getByRole('listitem').filter({ hasText: 'Laptop passkey' }).waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
