import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { checkBothSizes } from './support/both-sizes.js';
import { chromiumAvailable, chromiumSkipReason, watchPageProblems } from './support/browser.js';
import { browserSuiteOptions, useBrowserAndServer } from './support/browser-suite.js';
import { loginAsFreshOwner, ownerPassword, submitLogin } from './support/console-owner.js';
import { codeFor } from './support/totp.js';

if (!chromiumAvailable) console.warn(`two-factor browser tests ${chromiumSkipReason}`);

async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'User menu' }).click();
  await page.getByRole('menuitem', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
}

// docs/product/console.md#two-factor-authentication, docs/product/console.md#log-in
describe.skipIf(!chromiumAvailable)('Two-factor authentication in the console', browserSuiteOptions, () => {
  const started = useBrowserAndServer();

  it('sets up an authenticator app, then logs in with a code, refuses a wrong one, and accepts a recovery code', async () => {
    const { server, browser } = started();
    const { context, page } = await loginAsFreshOwner(browser, server);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    const problems = watchPageProblems(page);

    await page.goto(`${server.origin}/profile#two-factor`);
    const section = page.getByRole('region', { name: 'Two-factor authentication' });
    await section.getByText('Off', { exact: true }).waitFor();
    await section.getByRole('button', { name: 'Set up authenticator app' }).click();
    const proof = page.getByRole('dialog', { name: 'Set up an authenticator app' });
    await proof.getByLabel('Current password').fill(ownerPassword);
    await proof.getByRole('button', { name: 'Continue' }).click();

    const scan = page.getByRole('dialog', { name: 'Scan the QR code' });
    await scan.getByRole('img', { name: 'QR code to scan with your authenticator app' }).waitFor();
    const key = ((await scan.getByLabel('Setup key').textContent()) ?? '').replaceAll(/\s/g, '');
    expect(key).toMatch(/^[A-Z2-7]{16,}$/);
    await checkBothSizes(page, 'two-factor-totp-scan');
    await scan.getByLabel('Code from the app').fill('000000');
    await scan.getByRole('button', { name: 'Confirm' }).click();
    await scan.getByText('That code is not right.').waitFor();
    await scan.getByLabel('Code from the app').fill(codeFor(key));
    await scan.getByRole('button', { name: 'Confirm' }).click();

    const codesDialog = page.getByRole('dialog', { name: 'Your recovery codes' });
    await codesDialog.getByRole('listitem').nth(9).waitFor();
    const codes = await codesDialog.getByRole('listitem').allTextContents();
    expect(codes).toHaveLength(10);
    await checkBothSizes(page, 'two-factor-recovery-codes');
    await codesDialog.getByRole('button', { name: 'Copy codes' }).click();
    // Copying is asynchronous: until it has finished, Done asks "close without saving?" first.
    await codesDialog.getByRole('button', { name: 'Copied' }).waitFor();
    await codesDialog.getByRole('button', { name: 'Done' }).click();
    await codesDialog.waitFor({ state: 'detached' });
    await section.getByText('On', { exact: true }).waitFor();
    await section.getByText('10 of 10 unused.').waitFor();
    await section.scrollIntoViewIfNeeded();
    await checkBothSizes(page, 'two-factor-profile-on');

    // A login now asks for a code; a wrong one says so and lets the person try again.
    await logOut(page);
    await submitLogin(page, server.origin, server.owner, ownerPassword);
    await page.getByRole('heading', { level: 1, name: 'Two-factor authentication' }).waitFor();
    await checkBothSizes(page, 'two-factor-login-step');
    await page.getByRole('textbox', { name: 'Authentication code' }).fill('123456');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('That code is not right.').waitFor();
    await checkBothSizes(page, 'two-factor-login-wrong-code');
    // The setup's code is spent: the app's next code (one step of drift is accepted) logs in.
    await page.getByRole('textbox', { name: 'Authentication code' }).fill(codeFor(key, 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: `Welcome, ${server.owner}` }).waitFor();

    // Lost phone: a recovery code gets in, once.
    await logOut(page);
    await submitLogin(page, server.origin, server.owner, ownerPassword);
    await page.getByRole('textbox', { name: 'Authentication code' }).fill(codes[0] ?? '');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: `Welcome, ${server.owner}` }).waitFor();
    await page.goto(`${server.origin}/profile#two-factor`);
    await page.getByText('9 of 10 unused.').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);
});
