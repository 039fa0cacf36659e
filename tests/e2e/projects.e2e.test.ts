import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, chromiumSkipReason, saveScreenshot, watchPageProblems } from './support/browser.js';
import { browserSuiteOptions, useBrowserAndServer } from './support/browser-suite.js';
import { callApi, createPerson, desktop, expectAccessible, loginAsFreshOwner } from './support/console-owner.js';
import { chooseOption, firstLoginInNewContext, pickOption } from './support/console-people.js';

if (!chromiumAvailable) console.warn(`projects browser tests ${chromiumSkipReason}`);

/** The row of `name` in a project's access table. */
function accessRow(page: Page, name: string) {
  return page.getByRole('table', { name: 'People and groups with access' }).locator(`tr[data-subject="${name}"]`);
}

// docs/product/console.md#projects, docs/product/console.md#explain-access
describe.skipIf(!chromiumAvailable)('Projects in the console', browserSuiteOptions, () => {
  const started = useBrowserAndServer();

  it('creates a project, gives a group access, explains the decision, and changes the settings', async () => {
    const { server, browser } = started();
    const { origin } = server;
    const { context, page } = await loginAsFreshOwner(browser, server);
    const problems = watchPageProblems(page);

    // Set-up through the API: Riley, and the group "backend" with Riley in it.
    const riley = await createPerson(context, origin, 'riley@example.com', 'riley');
    const backend = await callApi<{ id: string }>(context, origin, 'POST', '/groups', { name: 'backend', description: 'Backend team' });
    await callApi(context, origin, 'PUT', `/groups/${backend.id}/members/${riley.id}`);

    // Server menu → Projects → New project.
    await page.getByRole('navigation', { name: 'Server menu' }).getByRole('link', { name: 'Projects', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
    await page.getByText('No projects yet').waitFor();
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByRole('dialog', { name: 'New project' });
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await dialog.getByText('Give the project a name.').waitFor();
    await dialog.getByLabel('Name').fill('Atlas');
    await dialog.getByLabel('Description').fill('Maps and routes.');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { level: 1, name: 'Atlas' }).waitFor();
    const projectId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    expect(new URL(page.url()).pathname).toBe(`/projects/${projectId}`);

    // Riley cannot see Atlas yet: it answers like a project that does not exist.
    const rileySession = await firstLoginInNewContext(browser, origin, 'riley', riley.temporaryPassword);
    await rileySession.page.goto(`${origin}/projects/${projectId}`);
    await rileySession.page.getByRole('heading', { level: 1, name: 'Project not found' }).waitFor();

    // People tab: the owner is an implicit Admin, not removable; give the group Contributor.
    expect(await page.getByRole('tab', { name: 'People' }).getAttribute('aria-selected')).toBe('true');
    await accessRow(page, server.owner).getByText('Project owner (Admin)').filter({ visible: true }).waitFor();
    expect(await accessRow(page, server.owner).getByRole('button').count()).toBe(0);
    await page.getByRole('form', { name: 'Add access' }).getByText('Group', { exact: true }).click();
    await pickOption(page, 'Group', 'back', /^backend/);
    await chooseOption(page, /^Project role$/, 'Contributor');
    await page.getByRole('button', { name: 'Give access' }).click();
    await page.getByText('backend now has the Contributor role.').waitFor();
    expect(await accessRow(page, 'backend').getByRole('textbox', { name: 'Project role of backend' }).inputValue()).toBe('Contributor');

    // Why can riley rerun jobs on Atlas? Through the group.
    await pickOption(page, 'Person', 'ril', /^riley/);
    await pickOption(page, 'Permission', 'job.rerun', /^project\.job\.rerun/);
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.getByText('Allowed: riley may use project.job.rerun on "Atlas"').waitFor();
    await page.getByText('group "backend" → project role Contributor on "Atlas" → project.job.rerun').waitFor();
    await page.mouse.move(0, desktop.height - 1);
    await page.evaluate(() => window.scrollTo(0, 0)); // the sticky bar would otherwise cover the top of a full-page shot
    await expectAccessible(page, 'the project People tab');
    await saveScreenshot(page, 'project-people-tab');

    // Riley, a member of the group, now sees and opens Atlas.
    await rileySession.page.goto(`${origin}/projects`);
    await rileySession.page.getByRole('link', { name: 'Atlas' }).click();
    await rileySession.page.getByRole('heading', { level: 1, name: 'Atlas' }).waitFor();
    await rileySession.page.getByRole('table', { name: 'People and groups with access' }).locator('tr[data-subject="backend"]').waitFor();
    // A Contributor sees who has access but cannot change it.
    expect(await rileySession.page.getByRole('form', { name: 'Add access' }).count()).toBe(0);
    // A Member sees names, never addresses or who holds which instance role
    // (docs/product/security-settings.md#privacy-between-users): the owner appears as the project owner, not as an
    // instance Owner.
    const rileyAccess = rileySession.page.getByRole('table', { name: 'People and groups with access' });
    await rileyAccess.locator(`tr[data-subject="${server.owner}"]`).getByText('Project owner (Admin)').filter({ visible: true }).waitFor();
    expect(await rileyAccess.getByText('@', { exact: false }).count()).toBe(0);
    expect(await rileyAccess.getByText('instance', { exact: false }).count()).toBe(0);
    // The group page lists the members by username only.
    await rileySession.page.goto(`${origin}/groups/${backend.id}`);
    const rileyMembers = rileySession.page.getByRole('table', { name: 'Members of backend' });
    await rileyMembers.getByRole('cell', { name: 'riley', exact: true }).waitFor();
    expect(await rileyMembers.getByRole('columnheader').allInnerTexts()).toEqual(['Username']);
    expect(await rileySession.page.getByText('riley@example.com').count()).toBe(0);
    await expectAccessible(rileySession.page, 'the group page as a Member');
    await rileySession.context.close();

    // The person page explains the same decision, with a project picker.
    await page.goto(`${origin}/people/riley`);
    await page.getByRole('heading', { level: 1, name: 'riley' }).waitFor();
    await page.getByText('riley owns no projects.').waitFor();
    await pickOption(page, 'Permission', 'project.delete', /^project\.delete/);
    await pickOption(page, 'Project', 'Atl', /^Atlas/);
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.getByText('Refused: riley may not use project.delete on "Atlas"').waitFor();
    await pickOption(page, 'Permission', 'job.rerun', /^project\.job\.rerun/);
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.getByText('group "backend" → project role Contributor on "Atlas" → project.job.rerun').waitFor();
    await page.mouse.move(0, desktop.height - 1);
    await page.evaluate(() => window.scrollTo(0, 0));
    await expectAccessible(page, 'the person page with an explanation');
    await saveScreenshot(page, 'person-explain');

    // The projects list shows Atlas and its owner.
    await page.goto(`${origin}/projects`);
    await page.getByRole('table', { name: 'Projects' }).getByRole('link', { name: 'Atlas' }).waitFor();
    await expectAccessible(page, 'the projects list');
    await saveScreenshot(page, 'projects-list');

    // Settings: describe, transfer ownership to riley.
    await page.getByRole('link', { name: 'Atlas' }).click();
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.waitForURL(/\?tab=settings$/);
    await page.getByLabel('Description').fill('Maps, routes and places.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Settings saved.').waitFor();
    await pickOption(page, 'New owner', 'ril', /^riley/);
    await page.getByRole('button', { name: 'Transfer ownership' }).click();
    await page.getByRole('button', { name: 'Transfer to riley' }).click();
    await page.getByText('Ownership transferred to riley.').waitFor();
    await page.getByRole('link', { name: 'riley' }).first().waitFor();
    await page.mouse.move(0, desktop.height - 1);
    await page.evaluate(() => window.scrollTo(0, 0));
    await expectAccessible(page, 'the project Settings tab');
    await saveScreenshot(page, 'project-settings');

    // Delete a project, behind a confirmation.
    const scratch = await callApi<{ id: string }>(context, origin, 'POST', '/projects', { name: 'Scratch' });
    await page.goto(`${origin}/projects/${scratch.id}?tab=settings`);
    await page.getByRole('button', { name: 'Delete project' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete Scratch?' });
    await confirm.getByRole('button', { name: 'Delete project' }).click();
    await page.waitForURL(`${origin}/projects`);
    await page.getByRole('table', { name: 'Projects' }).getByRole('link', { name: 'Atlas' }).waitFor();
    expect(await page.getByRole('link', { name: 'Scratch' }).count()).toBe(0);

    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);
});
