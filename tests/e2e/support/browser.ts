import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { screenshotDir } from './paths.js';

/** The Chromium the browser tests drive (docs/product/running.md#tests): `/usr/bin/chromium`, or the path in ROSTER_CHROMIUM. */
export const chromiumPath = process.env.ROSTER_CHROMIUM ?? '/usr/bin/chromium';

/** Whether browser tests can run on this machine; when false, suites use describe.skipIf and say why. */
export const chromiumAvailable = existsSync(chromiumPath);

export const chromiumSkipReason = `skipped: Chromium not found at ${chromiumPath}; set ROSTER_CHROMIUM`;

/** Launches a headless Chromium with the quiet, sandbox-free flags CI containers need. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Saves a screenshot (full page unless told otherwise) to test-results/screenshots/<name>.png; returns its path. */
export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? true, animations: 'disabled' });
  return path;
}

export interface AccessibilityReport {
  /** Violations of impact "serious" or "critical": a test should require none. */
  serious: string[];
  /** Moderate and minor findings, worth reading but not failing on. */
  other: string[];
}

/** Runs axe-core on the page as it is now and sorts the findings by impact. */
export async function checkAccessibility(page: Page): Promise<AccessibilityReport> {
  // Legacy mode runs axe.run() in the page itself. The default opens a blank page for every check to merge per-frame
  // results (and injects axe into it again): two thirds of a browser suite's time, for frames the console does not
  // have (it has no iframes; cross-origin frames are what legacy mode leaves out).
  const results = await new AxeBuilder({ page }).setLegacyMode().analyze();
  const describe = (violation: (typeof results.violations)[number]) =>
    `${violation.impact ?? 'unknown'} ${violation.id}: ${violation.help} — ${violation.nodes
      .map((node) => `${node.target.join(' ')} ${node.html.slice(0, 160)} (${node.failureSummary?.replace(/\s+/g, ' ') ?? ''})`)
      .join('; ')}`;
  const isSerious = (impact: string | null | undefined) => impact === 'serious' || impact === 'critical';
  return {
    serious: results.violations.filter((violation) => isSerious(violation.impact)).map(describe),
    other: results.violations.filter((violation) => !isSerious(violation.impact)).map(describe),
  };
}

/**
 * Collects what the page reports as broken: uncaught exceptions and console errors (CSP violations land there
 * too), so that a test can assert the console ran cleanly. Chromium also logs every 4xx answer as a console error;
 * those are expected (a 401 from /me is how the console learns nobody is signed in) and are left out.
 */
export function watchPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
    problems.push(`console error: ${text}`);
  });
  return problems;
}

/** Waits until CSS transitions and animations have finished (menus and drawers fade in), before axe or a screenshot. */
export async function waitForAnimations(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((animation) => animation.playState !== 'running'));
}
