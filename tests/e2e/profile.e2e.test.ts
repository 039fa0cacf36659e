import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, chromiumSkipReason, watchPageProblems } from './support/browser.js';
import { browserSuiteOptions, useBrowserAndServer } from './support/browser-suite.js';
import {
  desktop,
  expectAccessible,
  loginAsFreshOwner,
  loginInNewContext,
  ownerPassword,
  phone,
  snapshot,
} from './support/console-owner.js';
import { repoRoot } from './support/paths.js';

if (!chromiumAvailable) console.warn(`profile browser tests ${chromiumSkipReason}`);

const emailWarning =
  'Changing your email address can revoke access to integrations such as GitHub and BitBucket. You may need to reconnect your repositories afterwards.';
const windowsChrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

/** Runs the roster CLI (`node --import tsx src/main.ts …`) with `stdin` piped in; resolves with its exit code and output. */
function runCli(args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', ...args],
      { cwd: repoRoot, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

// docs/product/console.md#profile-settings
describe.skipIf(!chromiumAvailable)('Profile settings in the console', browserSuiteOptions, () => {
  const started = useBrowserAndServer();
  // The CLI half of the test keeps its context file here.
  let cliDir: string | undefined;
  beforeAll(async () => {
    cliDir = await mkdtemp(join(tmpdir(), 'roster-cli-'));
  });
  afterAll(async () => {
    if (cliDir) await rm(cliDir, { recursive: true, force: true });
  });

  it('changes the screen name, the email, the API token (then uses it), the sessions and the password', async () => {
    const { server, browser } = started();
    if (!cliDir) throw new Error('no directory for the CLI context');
    const { origin } = server;
    const { context, page } = await loginAsFreshOwner(browser, server);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const problems = watchPageProblems(page);

    // User menu → Profile settings, as in the seed.
    await page.getByRole('button', { name: 'User menu' }).click();
    await page.getByRole('menuitem', { name: 'Profile settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Profile settings' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/profile');
    for (const section of ['Screen name', 'Email Address', 'API Token', 'Password', 'Sessions']) {
      await page.getByRole('heading', { level: 2, name: section, exact: true }).waitFor();
    }
    await page.getByText('This device').waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'the profile page');
    await snapshot(page, 'profile');

    // Screen name: a refused name shows its error next to the field; a good one is saved.
    const screenName = page.getByRole('textbox', { name: 'Screen name' });
    await screenName.fill('no spaces allowed');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const screenNameError = page.locator('[id$="-error"]').filter({ hasText: /./ }).first();
    await screenNameError.waitFor();
    expect(await screenName.getAttribute('aria-invalid')).toBe('true');
    await screenName.fill('Owner-Renamed');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Screen name saved. You are now owner-renamed.').waitFor();
    expect(await screenName.inputValue()).toBe('owner-renamed');

    // Email: the confirmation repeats the seed's warning and asks for the current password.
    await page.getByLabel('New email address').fill('owner@example.com');
    await page.getByRole('button', { name: 'Update email' }).click();
    const emailDialog = page.getByRole('dialog', { name: 'Change your email address?' });
    await emailDialog.getByText(emailWarning).waitFor();
    await emailDialog.getByText('Your other sessions will be signed out.', { exact: false }).waitFor();
    await emailDialog.getByLabel('Current password').fill('not my password at all');
    await emailDialog.getByRole('button', { name: 'Update email' }).click();
    await emailDialog.getByText('This is not your current password.').waitFor();
    await emailDialog.getByLabel('Current password').fill(ownerPassword);
    await expectAccessible(page, 'the email confirmation');
    await snapshot(page, 'email-confirm', { fullPage: false });
    await emailDialog.getByRole('button', { name: 'Update email' }).click();
    await page.getByText('Email updated to owner@example.com. Your other sessions were signed out.').waitFor();
    await emailDialog.waitFor({ state: 'hidden' });

    // API token: with none yet, "Create API token" asks for the password without a warning; the token is shown once.
    await page.getByRole('button', { name: 'Create API token' }).click();
    const tokenDialog = page.getByRole('dialog', { name: 'Create an API token' });
    await tokenDialog.getByLabel('Current password').fill(ownerPassword);
    expect(await tokenDialog.getByText('stop working', { exact: false }).count()).toBe(0);
    await expectAccessible(page, 'the token confirmation');
    await snapshot(page, 'token-confirm', { fullPage: false });
    await tokenDialog.getByRole('button', { name: 'Create API token' }).click();
    const shown = page.getByRole('dialog', { name: 'Your new API token' });
    const token = await shown.getByLabel('Your new API token').inputValue();
    expect(token).toMatch(/^rst_[0-9A-Za-z]{38}$/);
    await shown.getByText('This token will not be shown again.', { exact: false }).waitFor();
    await shown.getByRole('button', { name: 'Copy token' }).click();
    await shown.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await expectAccessible(page, 'the new token');
    await snapshot(page, 'token-shown', { fullPage: false });
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'hidden' });
    expect(await page.getByText(token).count()).toBe(0); // shown once: gone with the dialog
    await page.getByText(token.slice(0, 8), { exact: false }).first().waitFor(); // its prefix stays

    // The token works for the API…
    const viaToken = await fetch(`${origin}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(viaToken.status).toBe(200);
    const meViaToken = (await viaToken.json()) as { user: { username: string; email: string } };
    expect(meViaToken.user).toMatchObject({ username: 'owner-renamed', email: 'owner@example.com' });
    // … and for the CLI, which reads it from stdin, never from argv.
    const cliEnv = { ROSTER_CONFIG: join(cliDir, 'config.json') };
    const connected = await runCli(['connect', origin], cliEnv, `${token}\n`);
    expect(connected.code, connected.stderr).toBe(0);
    const cliMe = await runCli(['me', '--json'], cliEnv);
    expect(cliMe.code, cliMe.stderr).toBe(0);
    expect(JSON.parse(cliMe.stdout)).toMatchObject({ user: { username: 'owner-renamed' } });

    // Sessions: a second login from another browser shows up, and can be signed out from here.
    const other = await loginInNewContext(browser, origin, 'owner@example.com', ownerPassword, windowsChrome);
    await page.reload();
    const signOutOther = page.getByRole('button', { name: /^Sign out Chrome on Windows/ });
    await signOutOther.waitFor();
    await page.getByText('This device').waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'the sessions list');
    await snapshot(page, 'sessions');
    await signOutOther.click();
    await page.getByText('Signed out Chrome on Windows.').waitFor();
    await signOutOther.waitFor({ state: 'detached' });
    // The other browser is logged out: its next page load lands on the login page.
    await other.page.reload();
    await other.page.getByRole('heading', { level: 1, name: 'Log in to Roster' }).waitFor();
    await other.context.close();

    // "Sign out everywhere else" ends every other session at once.
    const third = await loginInNewContext(browser, origin, 'owner-renamed', ownerPassword);
    await page.reload();
    await page.getByRole('button', { name: /^Sign out Headless Chrome/ }).waitFor();
    await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await page.getByText('Signed out 1 other session.').waitFor();
    await third.page.reload();
    await third.page.getByRole('heading', { level: 1, name: 'Log in to Roster' }).waitFor();
    await third.context.close();

    // Password: current + new twice; mismatches are caught before sending.
    const newPassword = 'a different long passphrase 7';
    const passwordForm = page.getByRole('form', { name: 'Change password' });
    await passwordForm.getByLabel('Current password').fill(ownerPassword);
    await passwordForm.getByLabel('New password', { exact: true }).fill(newPassword);
    await passwordForm.getByLabel('Confirm new password').fill(`${newPassword}!`);
    await passwordForm.getByRole('button', { name: 'Change password' }).click();
    await passwordForm.getByText('The passwords do not match.').waitFor();
    await passwordForm.getByLabel('Confirm new password').fill(newPassword);
    await passwordForm.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.', { exact: false }).waitFor();
    // The session was rotated, and this page keeps working with it.
    await screenName.fill('owner');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Screen name saved. You are now owner.').waitFor();

    // The new password logs in; on a phone the page stays readable.
    const phoneLogin = await loginInNewContext(browser, origin, 'owner', newPassword);
    await phoneLogin.page.setViewportSize(phone);
    await phoneLogin.page.goto(`${origin}/profile`);
    await phoneLogin.page.getByRole('heading', { level: 1, name: 'Profile settings' }).waitFor();
    await expectAccessible(phoneLogin.page, 'the profile page on a phone');
    await snapshot(phoneLogin.page, 'profile-phone');
    await phoneLogin.context.close();

    await page.setViewportSize(desktop);
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);
});
