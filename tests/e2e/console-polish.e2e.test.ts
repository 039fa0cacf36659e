import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkBothSizes, laptop } from './support/both-sizes.js';
import { chromiumAvailable, chromiumSkipReason, watchPageProblems } from './support/browser.js';
import { useBrowserAndServer } from './support/browser-suite.js';
import { callApi, createPerson, loginAsFreshOwner, type SignedIn } from './support/console-owner.js';
import { closeNotifications } from './support/console-people.js';

if (!chromiumAvailable) console.warn(`console polish browser tests ${chromiumSkipReason}`);

// Issue 17 items 5–10, one `it` per item, on one server whose first Owner is signed in once.
describe.skipIf(!chromiumAvailable)('Console polish', () => {
  const started = useBrowserAndServer();
  let owner: SignedIn;
  let problems: string[];
  let origin: string;

  beforeAll(async () => {
    const { server, browser } = started();
    origin = server.origin;
    owner = await loginAsFreshOwner(browser, server, laptop);
    owner.page.setDefaultTimeout(15_000);
    problems = watchPageProblems(owner.page);
    await createPerson(owner.context, origin, 'frank@example.com', 'frank');
    await createPerson(owner.context, origin, 'grace@example.com', 'grace');
  }, 120_000);

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
});
