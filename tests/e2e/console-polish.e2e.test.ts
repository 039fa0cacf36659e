import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkBothSizes, horizontalOverflow, laptop, phoneSize } from './support/both-sizes.js';
import { chromiumAvailable, chromiumSkipReason, watchPageProblems } from './support/browser.js';
import { browserSuiteOptions, useBrowserAndServer } from './support/browser-suite.js';
import { callApi, copySecret, createPerson, loginAsFreshOwner, type SignedIn } from './support/console-owner.js';
import { closeNotifications, firstLoginInNewContext, pickOption } from './support/console-people.js';

if (!chromiumAvailable) console.warn(`console polish browser tests ${chromiumSkipReason}`);

// Issue 17 items 5–10, one `it` per item, on one server whose first Owner is signed in once.
describe.skipIf(!chromiumAvailable)('Console polish', browserSuiteOptions, () => {
  const started = useBrowserAndServer();
  let owner: SignedIn;
  let problems: string[];
  let origin: string;
  let ownerName: string;
  let apolloId = '';
  let frankPassword = '';

  beforeAll(async () => {
    const { server, browser } = started();
    origin = server.origin;
    ownerName = server.owner;
    owner = await loginAsFreshOwner(browser, server, laptop);
    owner.page.setDefaultTimeout(15_000);
    problems = watchPageProblems(owner.page);
    frankPassword = (await createPerson(owner.context, origin, 'frank@example.com', 'frank')).temporaryPassword;
    await createPerson(owner.context, origin, 'grace@example.com', 'grace');
  }, 120_000);

  async function userId(username: string): Promise<string> {
    const found = await callApi<{ items: { id: string; username: string }[] }>(owner.context, origin, 'GET', `/people?query=${username}`);
    const person = found.items.find((item) => item.username === username);
    if (!person) throw new Error(`no ${username}`);
    return person.id;
  }

  async function page(): Promise<Page> {
    await closeNotifications(owner.page);
    return owner.page;
  }

  it('item 5: errors clear when their field changes; Add to group waits for a pick', async () => {
    const p = await page();
    await p.goto(`${origin}/profile`);
    const screenName = p.getByRole('textbox', { name: 'Screen name' });
    const original = await screenName.inputValue();
    await screenName.fill('frank');
    await p.getByRole('form', { name: 'Screen name' }).getByRole('button', { name: 'Save changes' }).click();
    const taken = p.getByRole('form', { name: 'Screen name' }).getByText('taken', { exact: false });
    await taken.waitFor();
    expect(await screenName.getAttribute('aria-invalid')).toBe('true');
    await screenName.fill(original);
    await taken.waitFor({ state: 'detached' });
    expect(await screenName.getAttribute('aria-invalid')).not.toBe('true');

    await callApi(owner.context, origin, 'POST', '/groups', { name: 'ops', description: 'Operations.' });
    await p.goto(`${origin}/groups`);
    await p.getByRole('link', { name: 'ops' }).click();
    await p.getByRole('heading', { level: 1, name: 'ops' }).waitFor();
    const add = p.getByRole('button', { name: 'Add to group' });
    expect(await add.isDisabled()).toBe(true);
    await p.getByRole('textbox', { name: 'Add a member' }).fill('gra');
    await p.getByRole('option', { name: /^grace/ }).click();
    expect(await add.isDisabled()).toBe(false);
    await checkBothSizes(p, 'group-page');
    await add.click();
    await p.getByText('grace added to ops.').waitFor();
    expect(await add.isDisabled()).toBe(true);
    expect(problems).toEqual([]);
  }, 180_000);
  it('item 6: at 390 px the project page does not overflow, audit filters fold, Add people placeholders fit', async () => {
    const p = await page();
    const project = await callApi<{ id: string }>(owner.context, origin, 'POST', '/projects', { name: 'Apollo', description: 'Moon.' });
    apolloId = project.id;
    const frank = await userId('frank');
    await callApi(owner.context, origin, 'PUT', `/projects/${project.id}/access/user/${frank}`, { role: 'contributor' });
    await p.setViewportSize(phoneSize);
    await p.goto(`${origin}/projects/${project.id}`);
    await p.getByRole('table', { name: 'People and groups with access' }).locator('tr[data-subject="frank"]').waitFor();
    expect(await horizontalOverflow(p)).toBeLessThanOrEqual(0);
    await p.getByRole('button', { name: 'Remove access of frank' }).waitFor();

    await p.goto(`${origin}/audit`);
    const filtersButton = p.getByRole('button', { name: 'Filters' });
    await filtersButton.waitFor();
    expect(await p.getByRole('textbox', { name: 'Actor' }).isVisible()).toBe(false);
    await p.getByText('auth.login', { exact: false }).first().waitFor();
    await checkBothSizes(p, 'audit-filters-folded', { fullPage: false });
    await p.setViewportSize(phoneSize);
    await filtersButton.click();
    await p.getByRole('textbox', { name: 'Actor' }).waitFor();
    expect(await p.getByRole('button', { name: 'Hide filters' }).getAttribute('aria-expanded')).toBe('true');

    await p.goto(`${origin}/people`);
    await p.getByRole('button', { name: 'Add people' }).click();
    const dialog = p.getByRole('dialog', { name: 'Add people' });
    const username = dialog.getByLabel('Username (optional), row 1');
    await username.waitFor();
    // The placeholder is not cut: the field is wide enough for all of "Username (optional)".
    const fits = await username.evaluate((input: HTMLInputElement) => {
      const canvas = document.createElement('canvas').getContext('2d');
      if (!canvas) return false;
      canvas.font = getComputedStyle(input).font;
      const style = getComputedStyle(input);
      const room = input.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
      return canvas.measureText(input.placeholder).width <= room;
    });
    expect(fits).toBe(true);
    await checkBothSizes(p, 'add-people-dialog', { fullPage: false });
    await p.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await p.setViewportSize(laptop);
  }, 180_000);

  it('item 7: one access row per person with every reason, explain names the group, role picker resets, group lists projects', async () => {
    const p = await page();
    const ownerId = await userId(ownerName);
    await callApi(owner.context, origin, 'PUT', `/projects/${apolloId}/access/user/${ownerId}`, { role: 'reader' });
    const ops = (await callApi<{ items: { id: string; name: string }[] }>(owner.context, origin, 'GET', '/groups?query=ops')).items[0];
    if (!ops) throw new Error('no ops group');
    await callApi(owner.context, origin, 'PUT', `/projects/${apolloId}/access/group/${ops.id}`, { role: 'contributor' });

    await p.goto(`${origin}/projects/${apolloId}`);
    const table = p.getByRole('table', { name: 'People and groups with access' });
    await table.locator(`tr[data-subject="${ownerName}"]`).first().waitFor();
    expect(await table.locator(`tr[data-subject="${ownerName}"]`).count()).toBe(1);
    const reasons = (await table.locator(`tr[data-subject="${ownerName}"] [data-reasons]`).last().textContent()) ?? '';
    expect(reasons).toContain('Project owner (Admin)');
    expect(reasons).toContain('Granted: Reader');
    await checkBothSizes(p, 'project-people');

    // Give grace Admin: the role picker starts from Reader again afterwards.
    const form = p.getByRole('form', { name: 'Add access' });
    await pickOption(p, 'User', 'grace', /^grace/);
    await form.getByRole('textbox', { name: 'Project role' }).click();
    await p.getByRole('option', { name: 'Admin', exact: true }).click();
    await form.getByRole('button', { name: 'Give access' }).click();
    await form.getByText('grace now has the Admin role.').waitFor();
    expect(await form.getByRole('textbox', { name: 'Project role' }).inputValue()).toBe('Reader');

    // Explain access for grace (in ops, which holds Contributor): the path names the group.
    await p.goto(`${origin}/people/frank`);
    await callApi(owner.context, origin, 'PUT', `/groups/${ops.id}/members/${await userId('frank')}`);
    await p.reload();
    await pickOption(p, 'Permission', 'project.view', /^project\.view/);
    await p.getByRole('textbox', { name: 'Project' }).click();
    await p.getByRole('option', { name: 'Apollo', exact: true }).click();
    await p.getByRole('form', { name: 'Explain access' }).getByRole('button', { name: 'Explain' }).click();
    const decision = p.locator('[data-decision="allowed"]');
    await decision.waitFor();
    expect(await decision.textContent()).toContain('group "ops"');
    await checkBothSizes(p, 'person-explain');

    await p.goto(`${origin}/groups/${ops.id}`);
    const projects = p.getByRole('table', { name: 'Projects of ops' });
    await projects.locator('tr[data-project="Apollo"]').waitFor();
    expect(await projects.locator('tr[data-project="Apollo"]').textContent()).toContain('Contributor');
    await checkBothSizes(p, 'group-page-projects');
  }, 180_000);

  it('item 8: read-only looks read-only, and one way back', async () => {
    const p = await page();
    await p.goto(`${origin}/settings/roles/member`);
    await p.getByRole('heading', { level: 1, name: 'Member' }).waitFor();
    expect(await p.getByRole('textbox', { name: 'Name' }).count()).toBe(0);
    expect(await p.getByText('← All roles').count()).toBe(0);
    await p.getByRole('link', { name: 'Settings › Roles' }).waitFor();
    await checkBothSizes(p, 'role-page');
    await p.goto(`${origin}/settings/roles`);
    await checkBothSizes(p, 'roles-page');

    // frank, a Member with Contributor on Apollo, sees its settings as text with a plain sentence.
    const frank = await firstLoginInNewContext(started().browser, origin, 'frank', frankPassword);
    const responses: string[] = [];
    frank.page.on('response', (response) => {
      if (response.status() === 403) responses.push(response.url());
    });
    await frank.page.setViewportSize(laptop);
    await frank.page.goto(`${origin}/projects/${apolloId}`);
    await frank.page.getByRole('heading', { level: 1, name: 'Apollo' }).waitFor();
    await frank.page.getByRole('form', { name: 'Explain access' }).waitFor();
    await frank.page.getByRole('tab', { name: 'Settings' }).click();
    await frank.page.getByText("Only the project's owner and Admins can change its name and description.").waitFor();
    expect(await frank.page.getByRole('textbox', { name: 'Name' }).count()).toBe(0);
    expect(await frank.page.getByText('project.general_settings.manage').count()).toBe(0);
    await checkBothSizes(frank.page, 'project-settings-member');
    // item 10: no refused request (403) for /permissions or anything else on a Member's project page.
    expect(responses).toEqual([]);
    await frank.context.close();
  }, 180_000);

  it('item 9: Edit user fits the window with its sections and Close; focus moves to the Add people result', async () => {
    const p = await page();
    await p.goto(`${origin}/people`);
    await p.getByRole('table', { name: 'People' }).locator('tr[data-username="grace"]').getByRole('button', { name: 'Edit grace' }).click();
    const edit = p.getByRole('dialog', { name: 'Edit user grace' });
    const save = edit.getByRole('button', { name: 'Save changes' });
    await save.waitFor();
    const box = await save.boundingBox();
    expect(box && box.y + box.height).toBeLessThanOrEqual(laptop.height);
    expect(await edit.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    await checkBothSizes(p, 'edit-user', { fullPage: false });
    await edit.getByRole('radio', { name: 'Admin' }).check();
    await save.click();
    await edit.getByText('Role successfully assigned').waitFor();
    await edit.getByRole('button', { name: 'Close', exact: true }).last().click();
    await edit.waitFor({ state: 'detached' });

    await p.getByRole('button', { name: 'Add people' }).click();
    const dialog = p.getByRole('dialog', { name: 'Add people' });
    await dialog.getByLabel('Email address, row 1').fill('heidi@example.com');
    await dialog.getByRole('button', { name: 'Create Accounts' }).click();
    await dialog.getByText('1 account created.').waitFor();
    await p.waitForFunction(() => document.activeElement?.textContent?.includes('1 account created.') === true);
    expect(await p.evaluate(() => document.activeElement?.tagName)).not.toBe('BODY');
    await copySecret(dialog, 'temporary password for heidi');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
  }, 180_000);

  it('item 10: one link style, word and prefix Action filter, exports follow the filters, neutral Verify, View roles', async () => {
    const p = await page();
    await callApi(owner.context, origin, 'POST', '/projects', { name: 'Zeta', description: '' });
    await p.goto(`${origin}/people`);
    await p.getByRole('link', { name: 'View roles' }).waitFor();
    const linkStyles = async () =>
      p.locator('[data-entity-link]').evaluateAll((links) =>
        links.map((link) => {
          const style = getComputedStyle(link);
          return `${style.color} ${style.fontWeight} ${style.textDecorationLine}`;
        }),
      );
    await p.locator('[data-entity-link="person"]').first().waitFor();
    const onPeople = await linkStyles();
    await checkBothSizes(p, 'people');
    await p.goto(`${origin}/projects`);
    await p.locator('[data-entity-link="project"]').first().waitFor();
    const onProjects = await linkStyles();
    await checkBothSizes(p, 'projects');
    expect(new Set([...onPeople, ...onProjects]).size).toBe(1);
    await p.goto(`${origin}/people`);
    await p.getByRole('link', { name: 'View roles' }).click();
    await p.getByRole('heading', { level: 1, name: 'Roles' }).waitFor();

    const frank = await userId('frank');
    await callApi(owner.context, origin, 'PUT', `/people/${frank}/role`, { role: 'admin' });
    await callApi(owner.context, origin, 'PUT', `/people/${frank}/role`, { role: 'member' });
    await p.goto(`${origin}/audit`);
    const verify = p.getByRole('button', { name: 'Verify' });
    await verify.waitFor();
    expect(await verify.getAttribute('data-variant')).toBe('default');
    await p.getByText('Both exports contain the events that match the filters above', { exact: false }).waitFor();
    await p.getByRole('form', { name: 'Filter the audit log' }).getByLabel('Action').first().fill('role changed');
    await p.getByRole('button', { name: 'Apply filters' }).click();
    await p.waitForURL(/action=role/);
    await p.getByText('user.role_changed').first().waitFor();
    // Only matching events are listed (the Action suggestions are not events: count visible text only). The list
    // before the filter held role changes too, so wait for the filtered answer to replace it.
    await p.getByText('user.created', { exact: true }).filter({ visible: true }).first().waitFor({ state: 'hidden' });
    expect(await p.getByText('user.created', { exact: true }).filter({ visible: true }).count()).toBe(0);
    expect(await p.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toContain('action=role');
    await checkBothSizes(p, 'audit-filtered');
    await verify.click();
    await p.getByText('Audit chain intact').waitFor();
    expect(problems).toEqual([]);
  }, 180_000);
});
