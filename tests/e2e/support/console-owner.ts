import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { checkAccessibility, saveScreenshot, waitForAnimations } from './browser.js';
import type { ServerProcess } from './server-process.js';

// Helpers of the Profile, Roles, Groups and Audit log browser tests: a signed-in first Owner, API calls with that
// session, and the accessibility gate every screenshotted state must pass.

export const desktop = { width: 1280, height: 800 };
export const phone = { width: 390, height: 844 };

/** The password the first Owner sets on first login in these tests (long enough for the default policy). */
export const ownerPassword = 'correct horse battery staple 42';

export interface SignedIn {
  context: BrowserContext;
  page: Page;
}

/** Fills the login form and submits it; the caller waits for wherever it should land. */
export async function submitLogin(page: Page, origin: string, login: string, password: string): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.getByLabel('Email or username').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/**
 * A new browser context in which the server's first Owner logged in with the printed temporary password and set
 * `ownerPassword`; the page shows the home page. Call once per server: the temporary password works only once.
 */
export async function loginAsFreshOwner(browser: Browser, server: ServerProcess, viewport = desktop): Promise<SignedIn> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await submitLogin(page, server.origin, server.owner, server.temporaryPassword);
  await page.getByLabel('New password', { exact: true }).fill(ownerPassword);
  await page.getByLabel('Confirm new password').fill(ownerPassword);
  await page.getByRole('button', { name: 'Set password and continue' }).click();
  await page.getByRole('heading', { level: 1, name: `Welcome, ${server.owner}` }).waitFor();
  // The "Password changed" notification would otherwise sit in the first screenshots (and under their dialogs).
  await page.getByRole('button', { name: 'Close notification' }).click();
  await page.getByRole('button', { name: 'Close notification' }).waitFor({ state: 'detached' });
  return { context, page };
}

/** Another browser context logged in as an existing user with a permanent password. */
export async function loginInNewContext(
  browser: Browser,
  origin: string,
  login: string,
  password: string,
  userAgent?: string,
): Promise<SignedIn> {
  const context = await browser.newContext({ viewport: desktop, ...(userAgent ? { userAgent } : {}) });
  const page = await context.newPage();
  await submitLogin(page, origin, login, password);
  await page.getByRole('heading', { level: 1, name: /^Welcome, / }).waitFor();
  return { context, page };
}

/**
 * Calls the REST API with the context's session cookie and its CSRF token (read from `GET /me`), for test set-up
 * that the page under test is not about (e.g. creating the people a group will hold).
 */
export async function callApi<T>(
  context: BrowserContext,
  origin: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const me = await context.request.get(`${origin}/api/v1/me`);
  const { csrfToken } = (await me.json()) as { csrfToken: string | null };
  const response = await context.request.fetch(`${origin}/api/v1${path}`, {
    method,
    headers: { 'X-CSRF-Token': csrfToken ?? '', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { data: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok()) throw new Error(`${method} ${path} answered ${response.status()}: ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** Creates a Member account through the API and returns its id, username and temporary password. */
export async function createPerson(context: BrowserContext, origin: string, email: string, username: string) {
  const result = await callApi<{
    results: { status: string; user?: { id: string; username: string }; temporaryPassword?: string; error?: unknown }[];
  }>(context, origin, 'POST', '/people', { accounts: [{ email, username }] });
  const row = result.results[0];
  if (row?.status !== 'created' || !row.user || !row.temporaryPassword)
    throw new Error(`could not create ${email}: ${JSON.stringify(row)}`);
  return { id: row.user.id, username: row.user.username, temporaryPassword: row.temporaryPassword };
}

/** Fails with axe's own words when the page has a serious or critical accessibility violation; logs the rest. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  await waitForAnimations(page);
  const report = await checkAccessibility(page);
  if (report.other.length > 0) console.info(`axe (${label}), moderate/minor:\n  ${report.other.join('\n  ')}`);
  expect(report.serious, `serious accessibility violations on ${label}`).toEqual([]);
}

/**
 * Saves a screenshot like `saveScreenshot`; a full-page one is taken from the top of the page, because Chromium
 * stitches a scrolled page with the sticky top bar painted in the middle of it.
 */
export async function snapshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  const fullPage = options.fullPage ?? true;
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  return saveScreenshot(page, name, { fullPage });
}

/**
 * Copies a one-time secret shown by SecretValue and waits until the copy has worked. The Clipboard API is asynchronous:
 * until it has finished, the secret is not kept, and Done asks "close without copying?" first.
 */
export async function copySecret(scope: Locator, label: string): Promise<void> {
  await scope.getByRole('button', { name: `Copy ${label}` }).click();
  await scope.getByText(`Copied ${label}`, { exact: true }).waitFor({ state: 'attached' });
}
