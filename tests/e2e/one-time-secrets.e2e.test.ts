import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { checkBothSizes, laptop } from './support/both-sizes.js';
import { chromiumAvailable, chromiumSkipReason, watchPageProblems } from './support/browser.js';
import { browserSuiteOptions, useBrowserAndServer } from './support/browser-suite.js';
import { copySecret, loginAsFreshOwner, ownerPassword } from './support/console-owner.js';

if (!chromiumAvailable) console.warn(`one-time secrets browser tests ${chromiumSkipReason}`);

/** The "Close without copying?" question inside `dialog`. */
function question(dialog: Locator): Locator {
  return dialog.getByRole('group', { name: 'Close without copying?' });
}

async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
}

// Issue 17 items 1 and 4 (docs/product/console.md#one-time-secrets): every view that shows a secret once asks before
// closing unless the secret was copied or downloaded; the API token button says "Create" when there is none.
describe.skipIf(!chromiumAvailable)('One-time secrets in the console', browserSuiteOptions, () => {
  const started = useBrowserAndServer();

  it('asks before Escape, × or Done loses temporary passwords or a token that were not copied or downloaded', async () => {
    const { server, browser } = started();
    const { origin } = server;
    const { context, page } = await loginAsFreshOwner(browser, server, laptop);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    page.setDefaultTimeout(15_000);
    const problems = watchPageProblems(page);

    // Add people: two accounts, two temporary passwords.
    await page.goto(`${origin}/people`);
    await page.getByRole('button', { name: 'Add people' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add people' });
    await dialog.getByLabel('Email address, row 1').fill('ann@example.com');
    await dialog.getByLabel('Email address, row 2').fill('bob@example.com');
    await dialog.getByRole('button', { name: 'Create Accounts' }).click();
    await dialog.getByText('2 accounts created.').waitFor();

    // Escape asks instead of closing; the passwords stay, and Go back (focused) returns to them.
    await page.keyboard.press('Escape');
    await question(dialog).waitFor();
    await question(dialog).getByText('2 one-time secrets').waitFor();
    expect(await focusedName(page)).toBe('Go back');
    await checkBothSizes(page, 'secrets-close-question', { fullPage: false });
    await question(dialog).getByRole('button', { name: 'Go back' }).click();
    await question(dialog).waitFor({ state: 'detached' });
    expect(await dialog.locator('[data-secret]').count()).toBe(2);
    await dialog.locator('[data-secret]').first().waitFor();

    // × asks too; Escape while asking means "go back", not "close anyway".
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await question(dialog).waitFor();
    await page.keyboard.press('Escape');
    await question(dialog).waitFor({ state: 'detached' });
    expect(await dialog.isVisible()).toBe(true);

    // Copying one leaves the other: Done still asks, naming the one left.
    await copySecret(dialog, 'temporary password for ann');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await question(dialog).getByText('The temporary password for bob has not been copied', { exact: false }).waitFor();
    await question(dialog).getByRole('button', { name: 'Go back' }).click();

    // Download keeps them all: Escape closes at once.
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Download' }).click();
    await download;
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Reset password in Edit user: the new temporary password is guarded the same way; Close anyway closes.
    const bobRow = page.getByRole('table', { name: 'People' }).locator('tr[data-username="bob"]');
    await bobRow.getByRole('button', { name: 'Edit bob' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit user bob' });
    await edit.getByRole('button', { name: 'Reset password' }).click();
    await edit.getByRole('button', { name: 'Reset password' }).click();
    await edit.getByText('New temporary password').waitFor();
    await page.keyboard.press('Escape');
    await question(edit).getByText('The new temporary password for bob has not been copied', { exact: false }).waitFor();
    await question(edit).getByRole('button', { name: 'Close anyway' }).click();
    await edit.waitFor({ state: 'detached' });

    // Profile → API token: with none yet the button says Create and nothing warns that a token stops working.
    await page.goto(`${origin}/profile`);
    await page.getByRole('heading', { level: 1, name: 'Profile settings' }).waitFor();
    expect(await page.getByRole('button', { name: 'Reset API Token' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Create API token' }).click();
    const create = page.getByRole('dialog', { name: 'Create an API token' });
    await create.getByLabel('Current password').fill(ownerPassword);
    expect(await create.getByText('stops working', { exact: false }).count()).toBe(0);
    await checkBothSizes(page, 'profile-create-token', { fullPage: false });
    await create.getByRole('button', { name: 'Create API token' }).click();
    const shown = page.getByRole('dialog', { name: 'Your new API token' });
    await shown.getByLabel('Your new API token').waitFor();
    await page.keyboard.press('Escape');
    await question(shown).getByText('The new API token has not been copied', { exact: false }).waitFor();
    await question(shown).getByRole('button', { name: 'Go back' }).click();
    await shown.getByRole('button', { name: 'Copy token' }).click();
    await shown.getByRole('button', { name: 'Copied' }).waitFor();
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'detached' });
    await page.getByText('API token created.').waitFor();

    // Now that one exists, the button resets it and the dialog warns.
    await page.locator('#api-token').getByRole('button', { name: 'Reset API Token' }).click();
    const reset = page.getByRole('dialog', { name: 'Reset your API token?' });
    await reset.getByText('The current token stops working at once').waitFor();
    await checkBothSizes(page, 'profile-reset-token', { fullPage: false });
    await reset.getByRole('button', { name: 'Cancel' }).click();
    await reset.waitFor({ state: 'detached' });
    await checkBothSizes(page, 'profile');

    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
