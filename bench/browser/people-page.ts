// The People page in a real Chromium (docs/product/speed-targets.md#targets, issue 7), run by `bench/run.ts` as its own
// process:
//   node --import tsx bench/browser/people-page.ts <origin> <login> <password> <label>
// prints one JSON line (PeoplePageResult, or {"skipped": reason}). A separate process and tsconfig because it drives
// the DOM (tests/e2e/tsconfig.json type-checks it).
import path from 'node:path';
import { checkAccessibility, chromiumAvailable, chromiumPath, launchBrowser } from '../../tests/e2e/support/browser.js';
import { desktop, submitLogin } from '../../tests/e2e/support/console-owner.js';
import { repoRoot } from '../../tests/e2e/support/paths.js';
import type { PeoplePageOutcome, PeoplePageResult } from '../lib/people-page-result.js';

/**
 * The People page in a real Chromium against a server holding the benchmark's million people
 * (docs/product/speed-targets.md#targets, issue 7): logs in, opens People, searches, loads a later page, takes a
 * screenshot and runs axe-core.
 */
async function measurePeoplePage(origin: string, login: string, password: string, label: string): Promise<PeoplePageResult> {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: desktop });
    const page = await context.newPage();
    await submitLogin(page, origin, login, password);
    await page.getByRole('heading', { level: 1, name: /^Welcome, / }).waitFor();
    const status = page.getByRole('status').filter({ hasText: /^Showing / });
    const rows = page.getByRole('table', { name: 'People' }).locator('tbody tr');

    let started = performance.now();
    await page.goto(`${origin}/people`);
    await status.filter({ hasText: 'Showing 50 people; more below' }).waitFor();
    const firstRowsMs = performance.now() - started;

    const term = 'alice.';
    started = performance.now();
    await page.getByLabel('Search', { exact: true }).fill(term);
    await page.waitForFunction((prefix) => {
      const usernames = Array.from(document.querySelectorAll('table tbody tr[data-username]')).map((row) =>
        row.getAttribute('data-username'),
      );
      return usernames.length > 0 && usernames.every((name) => name?.startsWith(prefix));
    }, term);
    const searchMs = performance.now() - started;

    started = performance.now();
    await page.getByRole('button', { name: 'Load more' }).click();
    await status.filter({ hasText: /^Showing 100 people/ }).waitFor();
    const loadMoreMs = performance.now() - started;
    if ((await rows.count()) !== 100) throw new Error(`People page: expected 100 rows after Load more, saw ${await rows.count()}`);

    const screenshot = path.join(repoRoot, 'bench/results', `people-page-${label.toLowerCase()}.png`);
    await page.mouse.move(0, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshot, animations: 'disabled' });
    const accessibility = await checkAccessibility(page);
    return { firstRowsMs, searchMs, loadMoreMs, seriousAccessibilityFindings: accessibility.serious, screenshot };
  } finally {
    await browser.close();
  }
}

const [origin, login, password, label] = process.argv.slice(2);
if (!origin || !login || !password || !label) throw new Error('usage: people-page.ts <origin> <login> <password> <label>');
const result: PeoplePageOutcome = chromiumAvailable
  ? await measurePeoplePage(origin, login, password, label)
  : { skipped: `Chromium not found at ${chromiumPath}` };
console.log(`PEOPLEPAGE ${JSON.stringify(result)}`);
