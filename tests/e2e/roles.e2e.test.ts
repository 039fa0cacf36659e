import { describe, expect, it } from 'vitest';
import { organizationRoles, permissionCatalogue } from '../../src/shared/permissions.js';
import { chromiumAvailable, chromiumSkipReason, watchPageProblems } from './support/browser.js';
import { browserSuiteOptions, useBrowserAndServer } from './support/browser-suite.js';
import { createPerson, expectAccessible, loginAsFreshOwner, phone, snapshot } from './support/console-owner.js';

if (!chromiumAvailable) console.warn(`roles browser tests ${chromiumSkipReason}`);

// docs/product/console.md#roles
describe.skipIf(!chromiumAvailable)('Settings → Roles in the console', browserSuiteOptions, () => {
  const started = useBrowserAndServer();

  it('shows every organization permission, checked exactly where Member has it, none of them editable', async () => {
    const { server, browser } = started();
    const { context, page } = await loginAsFreshOwner(browser, server);
    const problems = watchPageProblems(page);

    // Server menu → Settings → Roles, as in the seed.
    await page.getByRole('navigation', { name: 'Server menu' }).getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Roles' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/roles');
    const organization = page.getByRole('region', { name: 'Organization Roles' });
    const project = page.getByRole('region', { name: 'Project Roles' });
    for (const name of ['Owner', 'Admin', 'Member']) await organization.getByRole('heading', { name, exact: true }).waitFor();
    for (const name of ['Admin', 'Contributor', 'Reader']) await project.getByRole('heading', { name, exact: true }).waitFor();
    const memberCount = organizationRoles.member.permissions.length;
    await organization.getByText(`${memberCount} permissions`, { exact: true }).waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'the roles page');
    await snapshot(page, 'roles');

    await page.getByRole('link', { name: 'View Member', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Member' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/roles/member');
    await page.getByText('Predefined roles cannot be changed', { exact: false }).first().waitFor();
    // Read-only looks read-only: name and description are text, not inputs.
    expect(await page.getByRole('textbox', { name: 'Name' }).count()).toBe(0);
    expect(await page.getByRole('textbox', { name: 'Description' }).count()).toBe(0);

    // Every organization permission is listed, disabled, and checked exactly where the catalogue gives it to Member.
    const organizationPermissions = permissionCatalogue
      .filter((entry) => entry.name.startsWith('organization.'))
      .map((entry) => entry.name);
    const checkboxes = page.getByRole('checkbox');
    await checkboxes.first().waitFor();
    const listed = await checkboxes.evaluateAll((boxes) =>
      (boxes as HTMLInputElement[]).map((box) => ({
        name: box.labels?.[0]?.textContent?.trim() ?? '',
        checked: box.checked,
        disabled: box.disabled,
      })),
    );
    expect(listed.map((box) => box.name).sort()).toEqual([...organizationPermissions].sort());
    expect(listed.filter((box) => !box.disabled)).toEqual([]);
    expect(
      listed
        .filter((box) => box.checked)
        .map((box) => box.name)
        .sort(),
    ).toEqual([...organizationRoles.member.permissions].sort());
    // The description is part of each checkbox's accessible description.
    const people = page.getByRole('checkbox', { name: 'organization.people.view', exact: true });
    expect(await people.isChecked()).toBe(false);
    expect(await people.isDisabled()).toBe(true);
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'the Member role page');
    await snapshot(page, 'role-member');

    // The search box filters the list by name or description.
    // (the instance's secrets, and the applications' client secrets in a description).
    const matching = permissionCatalogue
      .filter((entry) => entry.name.startsWith('organization.') && `${entry.name} ${entry.description}`.toLowerCase().includes('secrets'))
      .map((entry) => entry.name);
    expect(matching).toEqual(expect.arrayContaining(['organization.secrets.manage', 'organization.secrets.view']));
    await page.getByRole('searchbox', { name: 'Search permissions' }).fill('secrets');
    await page.getByText(`${matching.length} of ${organizationPermissions.length} permissions shown`, { exact: false }).waitFor();
    expect(
      (await checkboxes.evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).labels?.[0]?.textContent?.trim()))).sort(),
    ).toEqual([...matching].sort());
    await page.getByRole('searchbox', { name: 'Search permissions' }).fill('no such permission');
    await page.getByText('No permission matches', { exact: false }).waitFor();
    expect(await checkboxes.count()).toBe(0);
    await page.getByRole('searchbox', { name: 'Search permissions' }).fill('');
    await page.getByText('Granted', { exact: true }).click();
    expect(await checkboxes.count()).toBe(memberCount);
    await snapshot(page, 'role-member-granted');

    // Project roles have their own pages, with the project permissions.
    await page.goto(`${server.origin}/settings/roles`);
    await page.getByRole('link', { name: 'View project role Contributor' }).click();
    await page.getByRole('heading', { level: 1, name: 'Contributor' }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'project.job.rerun' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'project.delete' }).isChecked()).toBe(false);

    // On a phone the cards stack and stay readable.
    await page.setViewportSize(phone);
    await page.goto(`${server.origin}/settings/roles`);
    await page.getByRole('heading', { level: 1, name: 'Roles' }).waitFor();
    await expectAccessible(page, 'the roles page on a phone');
    await snapshot(page, 'roles-phone');

    // A Member has no viewRoles ability: the page says so instead of failing.
    const member = await createPerson(context, server.origin, 'mia@example.com', 'mia');
    const memberPassword = 'mia sets a long passphrase 99';
    const miaContext = await browser.newContext();
    const miaPage = await miaContext.newPage();
    await miaPage.goto(`${server.origin}/login`);
    await miaPage.getByLabel('Email or username').fill('mia');
    await miaPage.getByLabel('Password', { exact: true }).fill(member.temporaryPassword);
    await miaPage.getByRole('button', { name: 'Log in' }).click();
    await miaPage.getByLabel('New password', { exact: true }).fill(memberPassword);
    await miaPage.getByLabel('Confirm new password').fill(memberPassword);
    await miaPage.getByRole('button', { name: 'Set password and continue' }).click();
    await miaPage.getByRole('heading', { level: 1, name: 'Welcome, mia' }).waitFor();
    await miaPage.goto(`${server.origin}/settings/roles/member`);
    await miaPage.getByRole('heading', { name: "You don't have access to this page" }).waitFor();
    expect(await miaPage.getByRole('checkbox').count()).toBe(0);
    await miaContext.close();

    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
