import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, chromiumSkipReason, watchPageProblems } from './support/browser.js';
import { browserSuiteOptions, useBrowserAndServer } from './support/browser-suite.js';
import {
  callApi,
  createPerson,
  desktop,
  expectAccessible,
  loginAsFreshOwner,
  phone,
  snapshot,
  submitLogin,
} from './support/console-owner.js';

if (!chromiumAvailable) console.warn(`groups and audit log browser tests ${chromiumSkipReason}`);

const hostileName = `<img src=x onerror=alert(1)>'; DROP TABLE users;--`;

// docs/product/console.md#groups, docs/product/console.md#audit-log
describe.skipIf(!chromiumAvailable)('Groups and the Audit log in the console', browserSuiteOptions, () => {
  const started = useBrowserAndServer();

  it('creates a group, adds a member, makes it Admin, and finds, verifies and exports those events', async () => {
    const { server, browser } = started();
    const { origin } = server;
    const { context, page } = await loginAsFreshOwner(browser, server);
    const problems = watchPageProblems(page);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await createPerson(context, origin, 'dana@example.com', 'dana');

    // Groups, empty at first.
    const serverMenu = page.getByRole('navigation', { name: 'Server menu' });
    await serverMenu.getByRole('link', { name: 'Groups', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
    await page.getByRole('heading', { name: 'No groups yet' }).waitFor();

    // New group: name, description, instance role (never Owner).
    await page.getByRole('button', { name: 'New group' }).first().click();
    const newGroup = page.getByRole('dialog', { name: 'New group' });
    const roleChoices = await newGroup.getByRole('radio').evaluateAll((radios) => radios.map((radio) => radio.getAttribute('value')));
    expect(roleChoices).toEqual(['none', 'member', 'admin']);
    await newGroup.getByRole('textbox', { name: 'Name' }).fill('backend');
    await newGroup.getByRole('textbox', { name: 'Description' }).fill('The people who run the API.');
    await newGroup.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { level: 1, name: 'backend' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/groups\/[0-9a-f-]{36}$/);
    await page.getByText('Group backend created. Add its members below.').waitFor();
    const backendUrl = page.url();

    // Add a member through the people search.
    const picker = page.getByRole('textbox', { name: 'Add a member' });
    await picker.fill('dan');
    await page.getByRole('option', { name: 'dana (dana@example.com)' }).click();
    await page.getByRole('button', { name: 'Add to group' }).click();
    await page.getByText('dana added to backend.').waitFor();
    const members = page.getByRole('region', { name: 'Members' });
    await members.getByRole('cell', { name: 'dana', exact: true }).waitFor();
    await members.getByText('1 member.', { exact: false }).waitFor();

    // Give the group the Admin role.
    const settings = page.getByRole('form', { name: 'Group settings' });
    await settings.getByRole('radio', { name: 'Admin' }).check();
    await settings.getByRole('button', { name: 'Save changes' }).click();
    await settings.getByText('Group saved.').waitFor();
    await page.getByRole('heading', { level: 1, name: 'backend' }).locator('xpath=..').getByText('Admin', { exact: true }).waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'the group page');
    await snapshot(page, 'group-detail');

    // A name that is taken is refused next to the field; a hostile-looking name is only text.
    await page.getByRole('link', { name: 'Groups', exact: true }).last().click();
    await page.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
    await page.getByRole('button', { name: 'New group' }).click();
    const second = page.getByRole('dialog', { name: 'New group' });
    await second.getByRole('textbox', { name: 'Name' }).fill('Backend');
    await second.getByRole('button', { name: 'Create group' }).click();
    await second.getByText('already exists', { exact: false }).waitFor();
    expect(await second.getByRole('textbox', { name: 'Name' }).getAttribute('aria-invalid')).toBe('true');
    await second.getByRole('textbox', { name: 'Name' }).fill(hostileName);
    await second.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { level: 1, name: hostileName, exact: true }).waitFor();
    await page.getByRole('link', { name: 'Groups', exact: true }).last().click();
    const table = page.getByRole('table');
    await table.getByRole('link', { name: hostileName, exact: true }).waitFor();
    await table.getByRole('link', { name: 'backend', exact: true }).waitFor();
    expect(
      await table
        .getByRole('row', { name: /backend/ })
        .getByText('Admin', { exact: true })
        .count(),
    ).toBe(1);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'the groups list');
    await snapshot(page, 'groups');

    // The search narrows the list.
    await page.getByRole('searchbox', { name: 'Search groups' }).fill('back');
    await table.getByRole('link', { name: hostileName }).waitFor({ state: 'detached' });
    await table.getByRole('link', { name: 'backend', exact: true }).waitFor();

    // Audit log: the group's events are there, newest first.
    await serverMenu.getByRole('link', { name: 'Audit log', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    const events = page.getByRole('table');
    for (const action of ['group.created', 'group.member_added', 'group.updated']) {
      await events.getByText(action, { exact: true }).first().waitFor();
    }
    const firstActions = await events.locator('tbody tr td:nth-child(4)').allInnerTexts();
    expect(firstActions.slice(0, 2)).toEqual(['group.created', 'group.updated']); // the hostile group, then the role

    // Filter by the action prefix group.*: only group events remain.
    await page.getByRole('textbox', { name: 'Action' }).fill('group.*');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/action=group\.\*/);
    await page.getByText('4 events shown', { exact: false }).waitFor();
    const filtered = await events.locator('tbody tr td:nth-child(4)').allInnerTexts();
    expect(filtered).toEqual(['group.created', 'group.updated', 'group.member_added', 'group.created']);

    // A row opens to show its details.
    await page.getByRole('button', { name: /^Show details of event \d+ \(group\.updated\)$/ }).click();
    await events.getByText('"role": "admin"', { exact: false }).waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'the audit log');
    await snapshot(page, 'audit');

    // Verify the chain.
    await page.getByRole('button', { name: 'Verify' }).click();
    const verified = page.getByRole('status').filter({ hasText: 'Audit chain intact' });
    await verified.waitFor();
    expect(await verified.textContent()).toMatch(/All \d+ events were checked/);
    await expectAccessible(page, 'the verified audit log');
    await snapshot(page, 'audit-verified', { fullPage: false });

    // Export with the current filters, as JSON Lines and as CSV.
    const [jsonl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export JSON Lines' }).click()]);
    expect(jsonl.suggestedFilename()).toMatch(/^roster-audit-.*\.jsonl$/);
    const lines = (await readFile(await jsonl.path(), 'utf8')).trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { action: string }).action)).toEqual(filtered);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    const rows = (await readFile(await csv.path(), 'utf8')).trim().split('\n');
    expect(rows.length).toBe(filtered.length + 1);

    // A filter that matches nothing says so.
    await page.getByRole('textbox', { name: 'Action' }).fill('nothing.*');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('heading', { name: 'No event matches these filters' }).waitFor();

    // On a phone the table scrolls sideways and the filters stack.
    // There the filters fold behind one button that counts the active ones.
    await page.setViewportSize(phone);
    await page.getByRole('button', { name: 'Filters (1 active)' }).click();
    await page.getByRole('button', { name: 'Reset' }).click();
    const cards = page.getByRole('list', { name: 'Audit events' });
    await cards.getByText('group.created', { exact: true }).first().waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    await cards.getByRole('button', { name: /\(group\.member_added\)$/ }).click();
    await cards.getByText('"username": "dana"', { exact: false }).waitFor();
    await expectAccessible(page, 'the audit log on a phone');
    await snapshot(page, 'audit-phone');

    // An Admin may manage groups, but not act on people of their own rank (R2): dana is an Admin through the group, so
    // the server refuses to take her out, and the refusal shows in the Members section with the server's reason.
    const ada = await createPerson(context, origin, 'ada@example.com', 'ada');
    await callApi(context, origin, 'PUT', `/people/${ada.id}/role`, { role: 'admin' });
    const adaContext = await browser.newContext({ viewport: desktop });
    const adaPage = await adaContext.newPage();
    adaPage.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await submitLogin(adaPage, origin, 'ada', ada.temporaryPassword);
    await adaPage.getByLabel('New password', { exact: true }).fill('ada picks a long passphrase 5');
    await adaPage.getByLabel('Confirm new password').fill('ada picks a long passphrase 5');
    await adaPage.getByRole('button', { name: 'Set password and continue' }).click();
    await adaPage.getByRole('heading', { level: 1, name: 'Welcome, ada' }).waitFor();
    await adaPage.goto(backendUrl);
    await adaPage.getByRole('button', { name: 'Remove dana from the group' }).click();
    const refusal = adaPage.getByRole('alert').filter({ hasText: 'Could not remove the member' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/dana's role/);
    await adaPage.getByRole('region', { name: 'Members' }).getByRole('cell', { name: 'dana', exact: true }).waitFor();
    await expectAccessible(adaPage, 'a refused change on the group page');
    await snapshot(adaPage, 'group-refused');
    await adaContext.close();

    // Delete a group, after a confirmation that says what its members lose.
    await page.setViewportSize(desktop);
    await page.goto(`${origin}/groups`);
    await page.getByRole('link', { name: hostileName, exact: true }).click();
    await page.getByRole('button', { name: 'Delete group' }).click();
    const confirmDelete = page.getByRole('dialog', { name: 'Delete this group?' });
    await confirmDelete.getByText('This cannot be undone.', { exact: false }).waitFor();
    await confirmDelete.getByRole('button', { name: 'Delete group' }).click();
    await page.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
    await page.getByRole('link', { name: 'backend', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: hostileName, exact: true }).count()).toBe(0);

    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
