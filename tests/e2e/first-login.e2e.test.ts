import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  checkAccessibility,
  chromiumAvailable,
  chromiumSkipReason,
  saveScreenshot,
  waitForAnimations,
  watchPageProblems,
} from './support/browser.js';
import { browserSuiteOptions, useBrowserAndServer } from './support/browser-suite.js';

if (!chromiumAvailable) console.warn(`first-login browser tests ${chromiumSkipReason}`);

const desktop = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };
const newPassword = 'correct horse battery staple 42';

/** Fails with axe's own words when the page has a serious or critical accessibility violation. */
async function expectAccessible(page: Page, label: string): Promise<void> {
  await waitForAnimations(page);
  const report = await checkAccessibility(page);
  if (report.other.length > 0) console.info(`axe (${label}), moderate/minor:\n  ${report.other.join('\n  ')}`);
  expect(report.serious, `serious accessibility violations on the ${label} page`).toEqual([]);
}

// docs/product/console.md#first-login-and-forced-password-change
describe.skipIf(!chromiumAvailable)('first login in the console', browserSuiteOptions, () => {
  const started = useBrowserAndServer();

  it('takes the first Owner from the temporary password to the home page, and back out', async () => {
    const { server, browser } = started();
    const context = await browser.newContext({ viewport: desktop });
    const page = await context.newPage();
    const problems = watchPageProblems(page);

    // Without a session, the console's home sends the visitor to the login page, and so does the printed address.
    await page.goto(`${server.origin}/`);
    await page.waitForURL(/\/login$/);
    await page.goto(server.url);
    await page.waitForURL(/\/login(\?|$)/);
    await page.getByRole('heading', { level: 1, name: 'Log in to Roster' }).waitFor();
    await expectAccessible(page, 'login');
    await saveScreenshot(page, 'login');

    await page.getByLabel('Email or username').fill(server.owner);
    await page.getByLabel('Password', { exact: true }).fill(server.temporaryPassword);
    await page.getByRole('button', { name: 'Log in' }).click();

    // A temporary password opens a restricted session that shows only "Set a new password".
    await page.getByRole('heading', { level: 1, name: 'Set a new password' }).waitFor();
    expect(await page.getByLabel('Current (temporary) password').count()).toBe(0);
    await expectAccessible(page, 'set-new-password');
    await saveScreenshot(page, 'set-new-password');

    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Confirm new password').fill(`${newPassword} typo`);
    await page.getByRole('button', { name: 'Set password and continue' }).click();
    await page.getByText('The passwords do not match.').waitFor();

    await page.getByLabel('Confirm new password').fill(newPassword);
    await page.getByRole('button', { name: 'Set password and continue' }).click();

    // Full access: the home page greets the Owner, and the server menu shows every area.
    await page.getByRole('heading', { level: 1, name: `Welcome, ${server.owner}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    const serverMenu = page.getByRole('navigation', { name: 'Server menu' });
    for (const area of ['People', 'Projects', 'Groups', 'Audit log', 'Settings']) {
      expect(await serverMenu.getByRole('link', { name: area, exact: true }).isVisible(), area).toBe(true);
    }
    expect(await serverMenu.getByRole('link', { name: 'Settings', exact: true }).getAttribute('href')).toBe('/settings/roles');
    await page.getByText('Owner', { exact: true }).first().waitFor();
    await page.mouse.move(0, desktop.height - 1); // no card left in its hover state for the screenshot
    await expectAccessible(page, 'home');
    await saveScreenshot(page, 'home');

    const userMenu = page.getByRole('button', { name: 'User menu' });
    await userMenu.click();
    await page.getByRole('menuitem', { name: 'Profile settings' }).waitFor();
    expect(await page.getByRole('menuitem', { name: 'Log out' }).isVisible()).toBe(true);
    await waitForAnimations(page);
    await saveScreenshot(page, 'user-menu-open');
    await page.keyboard.press('Escape');
    await page.getByRole('menuitem', { name: 'Profile settings' }).waitFor({ state: 'hidden' });

    // Menu entries lead to stable addresses.
    await serverMenu.getByRole('link', { name: 'People', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/people');

    // An unknown address shows the 404 page with a way home.
    await page.goto(`${server.origin}/nope`);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    expect(await page.getByRole('link', { name: 'Go to the home page' }).isVisible()).toBe(true);
    await saveScreenshot(page, 'not-found');

    // On a phone the server menu folds into a burger.
    await page.setViewportSize(phone);
    await page.goto(`${server.origin}/`);
    await page.getByRole('heading', { level: 1, name: `Welcome, ${server.owner}` }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Server menu' }).count()).toBe(0);
    await saveScreenshot(page, 'home-phone');
    await page.getByRole('button', { name: 'Open server menu' }).click();
    await page
      .getByRole('navigation', { name: 'Server menu' })
      .getByRole('link', { name: /^Audit log/ })
      .waitFor();
    await expectAccessible(page, 'home (phone, server menu open)');
    await saveScreenshot(page, 'server-menu-phone', { fullPage: false });
    await page.keyboard.press('Escape');
    await page.setViewportSize(desktop);

    // Log out returns to /login, and the session is gone.
    await page.getByRole('button', { name: 'User menu' }).click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await page.getByRole('heading', { level: 1, name: 'Log in to Roster' }).waitFor();
    await page.goto(`${server.origin}/people`);
    await page.waitForURL(/\/login\?next=%2Fpeople$/);

    // Logging in again returns to the page that was asked for.
    await page.getByLabel('Email or username').fill(server.owner);
    await page.getByLabel('Password', { exact: true }).fill(newPassword);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/people');

    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('tells the user when the password is wrong', async () => {
    const { server, browser } = started();
    const context = await browser.newContext({ viewport: desktop });
    const page = await context.newPage();

    await page.goto(`${server.origin}/login`);
    await page.getByLabel('Email or username').fill(server.owner);
    await page.getByLabel('Password', { exact: true }).fill('definitely not the password');
    await page.getByRole('button', { name: 'Log in' }).click();

    const alert = page.getByRole('alert').filter({ hasText: 'Incorrect email/username or password.' });
    await alert.waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await expectAccessible(page, 'login with an error');
    await saveScreenshot(page, 'login-error');
    await context.close();
  }, 60_000);
});
