import { Secret, TOTP } from 'otpauth';
import type { APIRequestContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { checkBothSizes, laptop } from './support/both-sizes.js';
import { chromiumAvailable, chromiumSkipReason, watchPageProblems } from './support/browser.js';
import { browserSuiteOptions, useBrowserAndServer } from './support/browser-suite.js';
import { createPerson, loginAsFreshOwner } from './support/console-owner.js';
import { closeNotifications, passwordFor } from './support/console-people.js';

if (!chromiumAvailable) console.warn(`two-factor administration browser tests ${chromiumSkipReason}`);

/** POSTs JSON as the session of `api` and answers the body; a refusal fails the set-up with the server's words. */
async function post<T>(api: APIRequestContext, path: string, body: unknown, csrfToken = ''): Promise<T> {
  const response = await api.post(`/api/v1${path}`, { data: body, headers: { 'X-CSRF-Token': csrfToken } });
  if (!response.ok()) throw new Error(`POST ${path} answered ${response.status()}: ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * Set-up through the API, as the person would do it in their own browser: the first login with the temporary password,
 * a permanent password, then an authenticator app confirmed with its first code. Answers their API session.
 */
async function personWithTotp(api: APIRequestContext, username: string, temporaryPassword: string): Promise<void> {
  const first = await post<{ csrfToken: string }>(api, '/auth/login', { login: username, password: temporaryPassword });
  const changed = await post<{ csrfToken: string }>(api, '/auth/password', { newPassword: passwordFor(username) }, first.csrfToken);
  const started = await post<{ secret: string }>(api, '/me/mfa/totp', { currentPassword: passwordFor(username) }, changed.csrfToken);
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(started.secret) });
  await post(api, '/me/mfa/totp/confirm', { code: totp.generate() }, changed.csrfToken);
}

// docs/product/console.md#security, docs/product/console.md#people
describe.skipIf(!chromiumAvailable)('Two-factor authentication, administered in the console', browserSuiteOptions, () => {
  const started = useBrowserAndServer();

  it("requires 2FA of Owners and Admins on Settings → Security, shows a person's 2FA in People, and resets it", async () => {
    const { server, browser } = started();
    const { origin } = server;
    const { context, page } = await loginAsFreshOwner(browser, server, laptop);
    page.setDefaultTimeout(15_000);
    const problems = watchPageProblems(page);

    // Settings → Security, reached from the Settings sub-menu that an Owner sees.
    await page.goto(`${origin}/settings/roles`);
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Security' }).click();
    await page.getByRole('heading', { level: 1, name: 'Security' }).waitFor();
    const policy = page.getByRole('radiogroup', { name: 'Require two-factor authentication of' });
    expect(await policy.getByRole('radio', { name: 'Nobody' }).isChecked()).toBe(true);
    await policy.getByRole('radio', { name: 'Owners and Admins' }).check();
    const grace = page.getByRole('textbox', { name: 'Grace period (days)' });
    await grace.fill('91');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Enter a whole number of days from 0 to 90.').waitFor();
    await grace.fill('3');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Security settings saved').waitFor();
    await closeNotifications(page);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Security' }).waitFor();
    expect(await policy.getByRole('radio', { name: 'Owners and Admins' }).isChecked()).toBe(true);
    expect(await grace.inputValue()).toBe('3');
    // The Owner has no 2FA yet: the page warns that the policy covers them too.
    await page.getByText('You have not set it up yourself').waitFor();
    await checkBothSizes(page, 'mfa-admin-security');

    // A Member with an authenticator app: On in the People list.
    const dana = await createPerson(context, origin, 'dana@example.com', 'dana');
    const danaContext = await browser.newContext({ baseURL: origin });
    await personWithTotp(danaContext.request, dana.username, dana.temporaryPassword);
    await page.goto(`${origin}/people`);
    const row = page.getByRole('table', { name: 'People' }).locator('tr[data-username="dana"]');
    expect(await row.locator('[data-mfa]').textContent()).toMatch(/On$/);
    expect(await page.locator(`tr[data-username="${server.owner}"] [data-mfa]`).getAttribute('data-mfa')).toBe('off');

    // The filter asks the server for people with 2FA, and keeps the choice in the address.
    const filtered = page.waitForRequest((request) => request.url().includes('/api/v1/people?') && request.url().includes('mfa=enabled'));
    await page.getByRole('textbox', { name: '2FA' }).click();
    await page.getByRole('option', { name: '2FA on', exact: true }).click();
    await filtered;
    expect(new URL(page.url()).searchParams.get('mfa')).toBe('enabled');
    // …and the list holds only them: the Owner, without 2FA, is gone.
    await page.locator(`tr[data-username="${server.owner}"]`).waitFor({ state: 'detached' });
    await row.waitFor();

    // Their page: Reset password offers to reset 2FA too; Reset two-factor authentication asks first, then does it.
    await row.getByRole('link', { name: 'dana' }).click();
    const section = page.getByRole('region', { name: 'Two-factor authentication' });
    expect(await section.locator('[data-mfa]').getAttribute('data-mfa')).toBe('on');
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit user dana' });
    await edit.getByRole('button', { name: 'Reset password' }).click();
    await edit.getByRole('checkbox', { name: 'Also reset two-factor authentication and passkeys' }).waitFor();
    await edit.getByRole('button', { name: 'Keep the password' }).click();
    await edit.getByRole('button', { name: 'Close', exact: true }).last().click();
    await edit.waitFor({ state: 'detached' });

    await section.getByRole('button', { name: 'Reset two-factor authentication' }).click();
    const confirm = page.getByRole('dialog', { name: 'Reset two-factor authentication?' });
    await confirm.getByText('every security key and passkey, including passkeys they sign in with.').waitFor();
    await checkBothSizes(page, 'mfa-admin-reset-dialog', { fullPage: false });
    await confirm.getByRole('button', { name: 'Reset two-factor authentication' }).click();
    await page.getByText('Two-factor authentication reset').waitFor();
    await confirm.waitFor({ state: 'detached' });
    await section.locator('[data-mfa="off"]').waitFor();
    expect(await section.getByRole('button', { name: 'Reset two-factor authentication' }).count()).toBe(0);
    // Their sessions ended with it.
    expect((await danaContext.request.get('/api/v1/me')).status()).toBe(401);

    await page.goto(`${origin}/people`);
    expect(await page.locator('tr[data-username="dana"] [data-mfa]').getAttribute('data-mfa')).toBe('off');
    expect(problems).toEqual([]);
    await danaContext.close();
    await context.close();
  }, 240_000);
});
