import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.js';
import { ensureConsoleBuilt } from './console-build.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

/**
 * The setup every browser suite shares: a built console, a real server on a fresh database, and one Chromium.
 * Returns a getter that throws when either did not start.
 */
export function useBrowserAndServer(): () => { server: ServerProcess; browser: Browser } {
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    await ensureConsoleBuilt();
    server = await startServerProcess();
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 30_000);
  return () => {
    if (!server || !browser) throw new Error('the server or the browser did not start');
    return { server, browser };
  };
}
