import { describe, expect, it } from 'vitest';
import { checkBothSizes, laptop } from './support/both-sizes.js';
import { chromiumAvailable, chromiumSkipReason, watchPageProblems } from './support/browser.js';
import { browserSuiteOptions, useBrowserAndServer } from './support/browser-suite.js';
import { callApi, loginAsFreshOwner, ownerPassword, submitLogin } from './support/console-owner.js';
import { codeFor } from './support/totp.js';

if (!chromiumAvailable) console.warn(`profile two-factor browser tests ${chromiumSkipReason}`);

const missingCode = 'Enter a code, or use a security key.';
const refusedCode = 'That code or security key was not accepted. Try again with a new code.';

// docs/product/console.md#profile-settings, docs/product/security-settings.md#two-factor-authentication: with 2FA on,
// the email, API token and password forms of Profile settings send a second factor with the current password.
describe.skipIf(!chromiumAvailable)('Profile settings with two-factor authentication on', browserSuiteOptions, () => {
  const started = useBrowserAndServer();

  it('asks for a code or a security key when changing the email, the API token and the password', async () => {
    const { server, browser } = started();
    const { origin } = server;
    const { context, page } = await loginAsFreshOwner(browser, server, laptop);
    page.setDefaultTimeout(15_000);
    const problems = watchPageProblems(page);
    const setup = await callApi<{ secret: string }>(context, origin, 'POST', '/me/mfa/totp', { currentPassword: ownerPassword });
    const { recoveryCodes } = await callApi<{ recoveryCodes: string[] }>(context, origin, 'POST', '/me/mfa/totp/confirm', {
      code: codeFor(setup.secret),
    });

    await page.goto(`${origin}/profile`);
    await page.getByRole('heading', { level: 1, name: 'Profile settings' }).waitFor();

    // Email: the password alone is not enough; a wrong code is refused next to its field and keeps the password.
    await page.getByLabel('New email address').fill('owner@example.com');
    await page.getByRole('button', { name: 'Update email' }).click();
    const emailDialog = page.getByRole('dialog', { name: 'Change your email address?' });
    await emailDialog.getByLabel('Current password').fill(ownerPassword);
    await emailDialog.getByRole('button', { name: 'Update email' }).click();
    await emailDialog.getByText(missingCode).waitFor();
    await emailDialog.getByLabel('Authentication code').fill('000000');
    await emailDialog.getByRole('button', { name: 'Update email' }).click();
    await emailDialog.getByText(refusedCode).waitFor();
    expect(await emailDialog.getByLabel('Current password').inputValue()).toBe(ownerPassword);
    await checkBothSizes(page, 'profile-2fa-email-refused');
    await emailDialog.getByLabel('Authentication code').fill(recoveryCodes[0] ?? '');
    await emailDialog.getByRole('button', { name: 'Update email' }).click();
    await page.getByText('Email updated to owner@example.com.', { exact: false }).waitFor();

    // API token: the authenticator app's next code (one step of drift) confirms it; the setup's code is spent.
    await page.getByRole('button', { name: 'Create API token' }).click();
    const tokenDialog = page.getByRole('dialog', { name: 'Create an API token' });
    await tokenDialog.getByLabel('Current password').fill(ownerPassword);
    await tokenDialog.getByLabel('Authentication code').fill(codeFor(setup.secret, 1));
    await tokenDialog.getByRole('button', { name: 'Create API token' }).click();
    const shown = page.getByRole('dialog', { name: 'Your new API token' });
    expect(await shown.getByLabel('Your new API token').inputValue()).toMatch(/^rst_[0-9A-Za-z]{38}$/);
    await shown.getByRole('button', { name: 'Copy token' }).click();
    await shown.getByRole('button', { name: 'Copied' }).waitFor();
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'hidden' });

    // Password: the form has the code field under the current password; a recovery code confirms it.
    const newPassword = 'a different long passphrase 7';
    const passwordForm = page.getByRole('form', { name: 'Change password' });
    await passwordForm.getByLabel('Current password').fill(ownerPassword);
    await passwordForm.getByLabel('New password', { exact: true }).fill(newPassword);
    await passwordForm.getByLabel('Confirm new password').fill(newPassword);
    await passwordForm.getByRole('button', { name: 'Change password' }).click();
    await passwordForm.getByText(missingCode).waitFor();
    await passwordForm.scrollIntoViewIfNeeded();
    await checkBothSizes(page, 'profile-2fa-password');
    await passwordForm.getByLabel('Authentication code').fill(recoveryCodes[1] ?? '');
    await passwordForm.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.', { exact: false }).waitFor();
    expect(await passwordForm.getByLabel('Authentication code').inputValue()).toBe('');

    // What the server kept: the new email, and two of the ten recovery codes spent.
    const me = await callApi<{ user: { email: string } }>(context, origin, 'GET', '/me');
    expect(me.user.email).toBe('owner@example.com');
    const status = await callApi<{ recoveryCodesRemaining: number }>(context, origin, 'GET', '/me/mfa');
    expect(status.recoveryCodesRemaining).toBe(8);
    // The new password is the one a login takes: the second step follows it.
    const other = await browser.newContext({ viewport: laptop });
    const otherPage = await other.newPage();
    await submitLogin(otherPage, origin, 'owner@example.com', newPassword);
    await otherPage.getByRole('heading', { level: 1, name: 'Two-factor authentication' }).waitFor();
    await other.close();
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);
});
