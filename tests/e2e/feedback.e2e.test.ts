import { describe, expect, it } from 'vitest';
import { checkBothSizes, laptop } from './support/both-sizes.js';
import { chromiumAvailable, chromiumSkipReason, watchPageProblems } from './support/browser.js';
import { browserSuiteOptions, useBrowserAndServer } from './support/browser-suite.js';
import { callApi, createPerson, loginAsFreshOwner, loginInNewContext } from './support/console-owner.js';
import { closeNotifications, firstLoginInNewContext, passwordFor, pickOption } from './support/console-people.js';

if (!chromiumAvailable) console.warn(`feedback browser tests ${chromiumSkipReason}`);

// Issue 17 item 2: every change confirms, a transfer asks first, and the login page says why the person is there.
describe.skipIf(!chromiumAvailable)('Feedback after every action', browserSuiteOptions, () => {
  const started = useBrowserAndServer();

  it('confirms removals and transfers, asks before a transfer, and says why a session ended', async () => {
    const { server, browser } = started();
    const { origin } = server;
    const { context, page } = await loginAsFreshOwner(browser, server, laptop);
    page.setDefaultTimeout(15_000);
    const problems = watchPageProblems(page);

    const bob = await createPerson(context, origin, 'bob@example.com', 'bob');
    const carol = await createPerson(context, origin, 'carol@example.com', 'carol');
    const dave = await createPerson(context, origin, 'dave@example.com', 'dave');
    const bobSession = await firstLoginInNewContext(browser, origin, 'bob', bob.temporaryPassword);
    await callApi(bobSession.context, origin, 'POST', '/projects', { name: 'Lighthouse', description: 'Bob’s project.' });
    await bobSession.context.close();

    // Remove bob from the list: the project transfer asks first, then both steps confirm.
    await page.goto(`${origin}/people`);
    const bobRow = page.getByRole('table', { name: 'People' }).locator('tr[data-username="bob"]');
    await bobRow.getByRole('button', { name: 'Remove bob' }).click();
    const remove = page.getByRole('dialog', { name: 'Remove bob?' });
    await pickOption(page, 'New owner of Lighthouse', 'carol', /^carol/);
    await remove.getByRole('button', { name: 'Transfer', exact: true }).click();
    const question = remove.getByRole('group', { name: 'Transfer Lighthouse to carol?' });
    await question.waitFor();
    await checkBothSizes(page, 'feedback-transfer-confirm', { fullPage: false });
    await question.getByRole('button', { name: 'Cancel' }).click();
    await question.waitFor({ state: 'detached' });
    const stillBobs = await callApi<{ owner: { username: string } }[] | { items: { name: string; owner: { username: string } }[] }>(
      context,
      origin,
      'GET',
      '/projects',
    );
    expect(JSON.stringify(stillBobs)).toContain('"username":"bob"'); // Cancel changed nothing
    await remove.getByRole('button', { name: 'Transfer', exact: true }).click();
    await remove.getByRole('button', { name: 'Transfer to carol' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Lighthouse now belongs to carol.' })
      .or(page.getByText('Project transferred'))
      .first()
      .waitFor();
    await remove.getByRole('button', { name: 'Remove bob' }).click();
    await remove.waitFor({ state: 'detached' });
    await page.getByText('bob was removed').waitFor();
    await checkBothSizes(page, 'feedback-removed-toast', { fullPage: false });
    await closeNotifications(page);

    // Remove from the person page: back on People, with the same confirmation.
    await page.goto(`${origin}/people/dave`);
    await page.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove dave?' }).getByRole('button', { name: 'Remove dave' }).click();
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    await page.getByText('dave was removed').waitFor();
    await closeNotifications(page);

    // An administrator ends carol's sessions: carol's next step lands on the login page, which says why.
    const carolSession = await firstLoginInNewContext(browser, origin, 'carol', carol.temporaryPassword);
    const carolProblems = watchPageProblems(carolSession.page);
    await callApi(context, origin, 'DELETE', `/people/${carol.id}/sessions`);
    await carolSession.page.getByRole('navigation', { name: 'Server menu' }).getByRole('link', { name: 'Projects' }).click();
    await carolSession.page.getByRole('heading', { level: 1, name: 'Log in to Roster' }).waitFor();
    await carolSession.page.getByRole('status').filter({ hasText: 'Your session has ended' }).waitFor();
    await carolSession.page.getByText('An administrator signed you out', { exact: false }).waitFor();
    await checkBothSizes(carolSession.page, 'login-session-ended');
    await carolSession.context.close();

    // Logging out says so too; a reload of the login page afterwards says nothing more.
    const again = await loginInNewContext(browser, origin, 'carol', passwordFor('carol'));
    await again.page.getByRole('button', { name: 'User menu' }).click();
    await again.page.getByRole('menuitem', { name: 'Log out' }).click();
    await again.page.getByRole('status').filter({ hasText: 'You have logged out' }).waitFor();
    await checkBothSizes(again.page, 'login-logged-out');
    await again.page.reload();
    await again.page.getByRole('heading', { level: 1, name: 'Log in to Roster' }).waitFor();
    // Nothing at all: logging out is not a session that ended (the login page must not store that reason for later).
    expect(await again.page.getByText('You have logged out').count()).toBe(0);
    expect(await again.page.getByText('Your session has ended').count()).toBe(0);
    await again.context.close();

    expect(carolProblems).toEqual([]);
    expect(problems).toEqual([]);
    expect(dave.username).toBe('dave');
    await context.close();
  }, 240_000);
});
