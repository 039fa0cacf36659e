import type { Browser, Page } from 'playwright-core';
import { desktop, type SignedIn, submitLogin } from './console-owner.js';

// Helpers of the People and Projects browser tests, on top of console-owner.ts: people who log in for the first time
// with the temporary password an Owner handed them, and Mantine pickers.

/**
 * The permanent password a person chooses at first login in these tests (passes the default policy,
 * docs/product/security-settings.md#passwords).
 */
export function passwordFor(username: string): string {
  return `correct horse battery staple ${username} 42`;
}

/**
 * A new browser context (another person at another computer) in which `login` logs in with a temporary password and
 * sets `passwordFor(login)` on "Set a new password"; the page shows the home page.
 */
export async function firstLoginInNewContext(
  browser: Browser,
  origin: string,
  login: string,
  temporaryPassword: string,
): Promise<SignedIn> {
  const context = await browser.newContext({ viewport: desktop });
  const page = await context.newPage();
  await submitLogin(page, origin, login, temporaryPassword);
  await page.getByRole('heading', { level: 1, name: 'Set a new password' }).waitFor();
  await page.getByLabel('New password', { exact: true }).fill(passwordFor(login));
  await page.getByLabel('Confirm new password').fill(passwordFor(login));
  await page.getByRole('button', { name: 'Set password and continue' }).click();
  await page.getByRole('heading', { level: 1, name: `Welcome, ${login}` }).waitFor();
  return { context, page };
}

/**
 * Picks an option of a Mantine Select (also the server-searched person and group pickers): types `search` into the
 * input labelled `label`, then clicks the first option whose accessible name matches `option`.
 */
export async function pickOption(page: Page, label: string | RegExp, search: string, option: RegExp): Promise<void> {
  const input = page.getByRole('textbox', { name: label });
  await input.click();
  await input.fill(search);
  await page.getByRole('option', { name: option }).first().click();
}

/** Dismisses every notification toast, so that none sits in a screenshot. */
export async function closeNotifications(page: Page): Promise<void> {
  const close = page.getByRole('button', { name: 'Close notification' });
  // A notification may close itself while we reach for it: a click that finds nothing left is fine.
  while ((await close.count()) > 0)
    await close
      .first()
      .click({ timeout: 3_000 })
      .catch(() => undefined);
}

/** Chooses an option of a Mantine Select that is not searchable: open it, click the option. */
export async function chooseOption(page: Page, label: string | RegExp, option: string): Promise<void> {
  await page.getByRole('textbox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}
