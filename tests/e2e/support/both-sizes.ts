import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { screenshot, waitForAnimations } from './browser.js';
import { expectAccessible } from './console-owner.js';
import { screenshotDir } from './paths.js';

// The two window sizes every console page is checked at (issue 17): a laptop and a phone.
export const laptop = { width: 1366, height: 900 };
export const phoneSize = { width: 390, height: 844 };

/** Where these screenshots go: ROSTER_SCREENSHOT_DIR when set (to look at them), else test-results/screenshots. */
const screens = process.env.ROSTER_SCREENSHOT_DIR ?? screenshotDir;

/** How far the page is wider than the window (0 when nothing overflows sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Pauses every animation running now (the Web Animations API: the CSP refuses an injected style). */
async function pauseAnimations(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const animation of document.getAnimations()) animation.pause();
  });
}

/**
 * Checks the page as it is now at 1366 × 900 and at 390 × 844: axe finds nothing serious, nothing overflows sideways,
 * and a screenshot `<name>-1366.png` / `<name>-390.png` is saved. The window returns to the size it had.
 * `pauseAnimations`: for a page with a spinner, whose animation never ends (and restarts after each screenshot).
 */
export async function checkBothSizes(
  page: Page,
  name: string,
  options: { fullPage?: boolean; pauseAnimations?: boolean } = {},
): Promise<void> {
  const before = page.viewportSize() ?? laptop;
  await mkdir(screens, { recursive: true });
  for (const size of [laptop, phoneSize]) {
    await page.setViewportSize(size);
    if (options.pauseAnimations) await pauseAnimations(page);
    await waitForAnimations(page);
    await expectAccessible(page, `${name} at ${size.width} px`);
    expect(await horizontalOverflow(page), `${name} overflows sideways at ${size.width} px`).toBeLessThanOrEqual(0);
    const fullPage = options.fullPage ?? true;
    if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, join(screens, `${name}-${size.width}.png`), { fullPage });
  }
  await page.setViewportSize(before);
  if (options.pauseAnimations) await pauseAnimations(page);
  await waitForAnimations(page);
}
