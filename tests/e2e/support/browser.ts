import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
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

/**
 * Whether browser tests write their screenshots. They are for people to look at; no assertion reads them. CI sets
 * ROSTER_SCREENSHOTS=off (docs/decisions/0022-test-run-speed.md): every state is still reached, checked by axe and for
 * sideways overflow, only the PNG is not captured and encoded.
 */
export const screenshotsOn = process.env.ROSTER_SCREENSHOTS !== 'off';

/** A screenshot to `path` (the full page unless told otherwise, animations stopped), unless screenshots are off. */
export async function screenshot(page: Page, path: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (!screenshotsOn) return;
  await page.screenshot({ path, fullPage: options.fullPage ?? true, animations: 'disabled' });
}

/** Saves a screenshot (full page unless told otherwise) to test-results/screenshots/<name>.png; returns its path. */
export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await screenshot(page, path, options);
  return path;
}

export interface AccessibilityReport {
  /** Violations of impact "serious" or "critical": a test should require none. */
  serious: string[];
  /** Moderate and minor findings, worth reading but not failing on. */
  other: string[];
}

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;

/** The axe-core that @axe-core/playwright ships (and would inject itself), as script text. */
const requireBesideAxeBuilder = createRequire(createRequire(import.meta.url).resolve('@axe-core/playwright'));
const axeSource = (requireBesideAxeBuilder('axe-core') as { source: string }).source;

/**
 * Runs axe-core (all its rules, as AxeBuilder runs them) in the page and returns the violations only. AxeBuilder's
 * legacy mode evaluates axe's 0.5 MB source twice on every check and sends every passing node back over the protocol;
 * here the source is evaluated once per document (a check finds the `axe` it left there), and `resultTypes` keeps the
 * full node lists for violations only, which are all a check reads (docs/decisions/0022-test-run-speed.md: 0.7-1.2 s
 * → 0.05-0.25 s a check on a small page). A page with frames goes through AxeBuilder, which injects axe into each.
 */
async function runAxe(page: Page): Promise<AxeResults> {
  // Legacy mode runs axe.run() in the page itself; the default would open a blank page for every check to merge
  // per-frame results, for frames the console does not have.
  if (page.frames().length > 1) return new AxeBuilder({ page }).setLegacyMode().analyze();
  if (!(await page.evaluate(() => typeof (window as unknown as { axe?: { run?: unknown } }).axe?.run === 'function'))) {
    await page.evaluate(axeSource);
    await page.evaluate(() => {
      const { axe } = window as unknown as { axe: { configure(spec: object): void } };
      axe.configure({ allowedOrigins: ['<same_origin>'], branding: { application: 'playwright' } });
    });
  }
  return page.evaluate(() => {
    const { axe } = window as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } };
    return axe.run(document, { resultTypes: ['violations'] });
  }) as Promise<AxeResults>;
}

/** Runs axe-core on the page as it is now and sorts the findings by impact. */
export async function checkAccessibility(page: Page): Promise<AccessibilityReport> {
  const results = await runAxe(page);
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
