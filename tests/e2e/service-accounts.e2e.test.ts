import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { checkBothSizes, laptop } from './support/both-sizes.js';
import { chromiumAvailable, chromiumSkipReason, watchPageProblems } from './support/browser.js';
import { browserSuiteOptions, useBrowserAndServer } from './support/browser-suite.js';
import { callApi, copySecret, createPerson, loginAsFreshOwner, snapshot } from './support/console-owner.js';
import { chooseOption, closeNotifications, firstLoginInNewContext, pickOption } from './support/console-people.js';

if (!chromiumAvailable) console.warn(`service accounts browser tests ${chromiumSkipReason}`);

const tokenShape = /^rss_[0-9A-Za-z]{38}$/;

/** The People table's row of `name`. */
function accountRow(page: Page, name: string): Locator {
  return page.getByRole('table', { name: 'People' }).locator(`tr[data-username="${name}"]`);
}

/** The one-time token shown in `dialog`. */
async function shownToken(dialog: Locator): Promise<string> {
  const token = (await dialog.locator('[data-secret]').textContent())?.trim() ?? '';
  expect(token, 'the token shown once').toMatch(tokenShape);
  return token;
}

/** The status the server answers a bearer token with, on a read every authenticated caller may make. */
async function tokenStatus(origin: string, token: string): Promise<number> {
  const response = await fetch(`${origin}/api/v1/projects?limit=1`, { headers: { Authorization: `Bearer ${token}` } });
  return response.status;
}

/** Copies the screenshots the lead looks at to ROSTER_KEEP_SHOTS, when set. */
async function keepShots(names: string[]): Promise<void> {
  const keep = process.env.ROSTER_KEEP_SHOTS;
  const from = process.env.ROSTER_SCREENSHOT_DIR;
  if (!keep || !from) return;
  await mkdir(keep, { recursive: true });
  for (const name of names) await cp(join(from, name), join(keep, name)).catch(() => undefined);
}

// docs/product/console.md#service-accounts
describe.skipIf(!chromiumAvailable)('Service accounts in the console', browserSuiteOptions, () => {
  const started = useBrowserAndServer();

  it('creates one with its token shown once, filters, edits, regenerates, deactivates, picks it for a project and a group, and deletes it', async () => {
    const { server, browser } = started();
    const { origin } = server;
    const { context, page } = await loginAsFreshOwner(browser, server, laptop);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    page.setDefaultTimeout(15_000);
    const problems = watchPageProblems(page);

    // People → Create Service Account, beside Add people.
    await page.goto(`${origin}/people`);
    await page.getByRole('button', { name: 'Add people' }).waitFor();
    await page.getByRole('button', { name: 'Create Service Account' }).click();
    const create = page.getByRole('dialog', { name: 'Create Service Account' });
    await create.getByRole('button', { name: 'Create Service Account' }).click();
    await create.getByText('Enter a name.').waitFor();
    await create.getByLabel('Name').fill('ci-deploy');
    await create.getByLabel('Description').fill('Deploys main from the CI pipeline');
    // An Owner may give it the Admin role and a token that never expires.
    expect(await create.getByRole('radio', { name: 'Admin' }).isDisabled()).toBe(false);
    await create.getByRole('radio', { name: 'Admin' }).check();
    expect(await create.getByRole('textbox', { name: 'Token expiry' }).inputValue()).toBe('90 days');
    await chooseOption(page, 'Token expiry', '30 days');
    await checkBothSizes(page, 'sa-create', { fullPage: false });
    await create.getByRole('button', { name: 'Create Service Account' }).click();

    // The token, once, with a copy button and the warning.
    const created = page.getByRole('dialog', { name: 'Service account ci-deploy created' });
    await created.getByText('Copy the token now: it is shown only once').waitFor();
    const firstToken = await shownToken(created);
    await created.getByText(/^Token expires on /).waitFor();
    expect(await tokenStatus(origin, firstToken)).toBe(200);
    await checkBothSizes(page, 'sa-created-token', { fullPage: false });
    // Not copied: Done asks first; copied: it closes.
    await created.getByRole('button', { name: 'Done' }).click();
    await created.getByRole('group', { name: 'Close without copying?' }).waitFor();
    await created.getByRole('button', { name: 'Go back' }).click();
    await copySecret(created, 'token of ci-deploy');
    await created.getByRole('button', { name: 'Done' }).click();
    await created.waitFor({ state: 'detached' });
    // Gone once closed: nowhere on the page any more.
    expect(await page.content()).not.toContain(firstToken);

    // The type filter: People (the default) leaves it out; Service accounts and All show it with its badge and expiry.
    await accountRow(page, server.owner).waitFor();
    expect(await accountRow(page, 'ci-deploy').count()).toBe(0);
    await page.getByText('Service accounts', { exact: true }).click();
    await page.waitForURL(/\?type=service_account$/);
    await accountRow(page, 'ci-deploy').waitFor();
    expect(await accountRow(page, server.owner).count()).toBe(0);
    await accountRow(page, 'ci-deploy').getByText('Service account', { exact: true }).waitFor();
    await accountRow(page, 'ci-deploy')
      .getByText(/^Token expires on /)
      .waitFor();
    await page.getByText('All', { exact: true }).click();
    await page.waitForURL(/\?type=all$/);
    await accountRow(page, server.owner).waitFor();
    await accountRow(page, 'ci-deploy').waitFor();
    await page.mouse.move(0, 0);
    await checkBothSizes(page, 'sa-list');

    // Seen 20 days later the 30-day token is flagged; 31 days later it has expired (the browser's clock moves, not the server's).
    const laterContext = await browser.newContext({ viewport: laptop, storageState: await context.storageState() });
    const later = await laterContext.newPage();
    await later.clock.install({ time: new Date(Date.now() + 20 * 24 * 3600 * 1000) });
    await later.goto(`${origin}/people?type=service_account`);
    await accountRow(later, 'ci-deploy').getByText('Token expires in 10 days').waitFor();
    expect(await accountRow(later, 'ci-deploy').locator('[data-token-expiry]').getAttribute('data-token-expiry')).toBe('soon');
    await checkBothSizes(later, 'sa-list-expiring');
    await later.clock.setSystemTime(new Date(Date.now() + 31 * 24 * 3600 * 1000));
    await later.reload();
    await accountRow(later, 'ci-deploy')
      .getByText(/^Token expired on /)
      .waitFor();
    await checkBothSizes(later, 'sa-list-expired');
    await laterContext.close();

    // Edit: description and role (Admin → Member).
    await accountRow(page, 'ci-deploy').getByRole('button', { name: 'Edit ci-deploy' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit service account ci-deploy' });
    await edit.getByRole('radio', { name: 'Admin' }).waitFor();
    expect(await edit.getByRole('radio', { name: 'Admin' }).isChecked()).toBe(true);
    expect(await edit.locator('[data-secret]').count()).toBe(0);
    await checkBothSizes(page, 'sa-edit', { fullPage: false });
    await edit.getByLabel('Description').fill('Deploys main and release branches');
    await edit.getByRole('radio', { name: 'Member' }).check();
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.getByText('Role successfully assigned').waitFor();
    await accountRow(page, 'ci-deploy').getByText('Member', { exact: true }).filter({ visible: true }).waitFor();
    await edit.getByText('Role successfully assigned').waitFor();

    // Regenerate Token: a confirmation first, then the new token once; the old one stops working.
    await edit.getByRole('button', { name: 'Regenerate Token' }).click();
    await edit.getByText('Regenerate the token of ci-deploy?').waitFor();
    await checkBothSizes(page, 'sa-regenerate-confirm', { fullPage: false });
    await edit.getByRole('button', { name: 'Regenerate Token' }).click();
    await edit.getByText('New token', { exact: true }).waitFor();
    const secondToken = await shownToken(edit);
    expect(secondToken).not.toBe(firstToken);
    expect(await tokenStatus(origin, firstToken)).toBe(401);
    expect(await tokenStatus(origin, secondToken)).toBe(200);
    await checkBothSizes(page, 'sa-regenerated', { fullPage: false });
    await copySecret(edit, 'token of ci-deploy');

    // Deactivate stops the token at once; Reactivate restores the same one.
    await edit.getByRole('button', { name: 'Deactivate' }).click();
    await edit.getByText(/^Deactivated: its token is refused/).waitFor();
    expect(await tokenStatus(origin, secondToken)).toBe(401);
    await accountRow(page, 'ci-deploy').getByText('Deactivated', { exact: true }).filter({ visible: true }).waitFor();
    await checkBothSizes(page, 'sa-deactivated', { fullPage: false });
    await edit.getByRole('button', { name: 'Reactivate' }).click();
    await edit.getByText(/^Active: its token works/).waitFor();
    expect(await tokenStatus(origin, secondToken)).toBe(200);
    await edit.getByRole('button', { name: 'Close', exact: true }).last().click();
    await edit.waitFor({ state: 'detached' });

    // Project access: the User picker offers it, with its badge.
    const atlas = await callApi<{ id: string }>(context, origin, 'POST', '/projects', { name: 'Atlas' });
    await page.goto(`${origin}/projects/${atlas.id}`);
    await page.getByRole('form', { name: 'Add access' }).waitFor();
    const userPicker = page.getByRole('textbox', { name: 'User' });
    await userPicker.click();
    await userPicker.fill('ci-');
    await page
      .getByRole('option', { name: /^ci-deploy/ })
      .getByText('Service account')
      .waitFor();
    await checkBothSizes(page, 'sa-project-picker', { fullPage: false });
    await page.getByRole('option', { name: /^ci-deploy/ }).click();
    await page.getByRole('button', { name: 'Give access' }).click();
    await page.getByText('ci-deploy now has the Reader role.').waitFor();
    // Its row in the access table carries the badge too.
    await page
      .getByRole('table', { name: 'People and groups with access' })
      .locator('tr[data-subject="ci-deploy"]')
      .getByText('Service account')
      .waitFor();
    await snapshot(page, 'sa-project-access-row');
    // …and no link to a person page, which a service account does not have.
    expect(await page.locator('tr[data-subject="ci-deploy"]').getByRole('link').count()).toBe(0);

    // Group membership: the member picker offers it too.
    const backend = await callApi<{ id: string }>(context, origin, 'POST', '/groups', { name: 'backend', description: 'Backend team' });
    await page.goto(`${origin}/groups/${backend.id}`);
    const memberPicker = page.getByRole('textbox', { name: 'Add a member' });
    await memberPicker.click();
    await memberPicker.fill('ci-');
    await page
      .getByRole('option', { name: /^ci-deploy/ })
      .getByText('Service account')
      .waitFor();
    await checkBothSizes(page, 'sa-group-picker', { fullPage: false });
    await page.getByRole('option', { name: /^ci-deploy/ }).click();
    await page.getByRole('button', { name: 'Add to group' }).click();
    await page.getByText('ci-deploy added to backend.').waitFor();
    await page
      .getByRole('table', { name: 'Members of backend' })
      .getByRole('row', { name: /ci-deploy/ })
      .getByText('Service account')
      .waitFor();
    await snapshot(page, 'sa-group-member-row');

    // It creates a project with its token, so it owns one (R4): Delete asks for a new owner first.
    const built = await fetch(`${origin}/api/v1/projects`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secondToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Pipelines' }),
    });
    expect(built.status, await built.clone().text()).toBe(201);
    await page.goto(`${origin}/people?type=service_account`);
    await accountRow(page, 'ci-deploy').getByRole('button', { name: 'Delete ci-deploy' }).click();
    const remove = page.getByRole('dialog', { name: 'Delete ci-deploy?' });
    await remove.getByText('ci-deploy owns a project').waitFor();
    expect(await remove.getByRole('button', { name: 'Delete ci-deploy' }).isDisabled()).toBe(true);
    await checkBothSizes(page, 'sa-delete-owns-project', { fullPage: false });
    await pickOption(page, 'New owner of Pipelines', server.owner.slice(0, 3), new RegExp(`^${server.owner}`));
    await remove.getByRole('button', { name: 'Transfer', exact: true }).click();
    await remove.getByRole('button', { name: `Transfer to ${server.owner}` }).click();
    await remove.getByText(`Pipelines now belongs to ${server.owner}.`).waitFor();
    await remove.getByRole('button', { name: 'Delete ci-deploy' }).click();
    await remove.waitFor({ state: 'detached' });
    await accountRow(page, 'ci-deploy').waitFor({ state: 'detached' });
    expect(await tokenStatus(origin, secondToken)).toBe(401);
    await closeNotifications(page);
    await page.getByText('No service accounts yet').waitFor();

    // An Admin creates Member service accounts with expiring tokens only (Owners alone mint Admins and "never").
    const ada = await createPerson(context, origin, 'ada@example.com', 'ada');
    await callApi(context, origin, 'PUT', `/people/${ada.id}/role`, { role: 'admin' });
    const admin = await firstLoginInNewContext(browser, origin, 'ada', ada.temporaryPassword);
    await admin.page.goto(`${origin}/people`);
    await admin.page.getByRole('button', { name: 'Create Service Account' }).click();
    const adminCreate = admin.page.getByRole('dialog', { name: 'Create Service Account' });
    await adminCreate.getByText('Not available: only Owners give a service account the Admin role.').waitFor();
    expect(await adminCreate.getByRole('radio', { name: 'Admin' }).isDisabled()).toBe(true);
    await admin.page.getByRole('textbox', { name: 'Token expiry' }).click();
    expect(await admin.page.getByRole('option', { name: 'Never expires' }).getAttribute('data-combobox-disabled')).toBe('true');
    await admin.page.keyboard.press('Escape');
    await checkBothSizes(admin.page, 'sa-create-as-admin', { fullPage: false });
    await admin.context.close();

    await keepShots([
      'sa-create-1366.png',
      'sa-created-token-390.png',
      'sa-list-1366.png',
      'sa-list-expiring-1366.png',
      'sa-edit-1366.png',
      'sa-regenerated-1366.png',
      'sa-delete-owns-project-1366.png',
      'sa-project-picker-1366.png',
      'sa-create-as-admin-1366.png',
    ]);
    expect(problems).toEqual([]);
    await context.close();
  }, 600_000);
});
