import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchBrowser } from './browser.js';
import { ensureConsoleBuilt } from './console-build.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

/**
 * The setup every browser suite shares: a built console, a real server on a fresh database, and one Chromium.
 * Returns a getter that throws when either did not start.
 *
 * When a test fails, it prints what tells a hung server from a stalled test process (a CI run once failed on two
 * timeouts in a row against a server that had just answered): whether the server answers `/healthz` now and how fast,
 * the longest stall of this test process's event loop during the test, and the server's last output.
 */
export function useBrowserAndServer(): () => { server: ServerProcess; browser: Browser } {
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  const stalls = stallWatch();
  beforeAll(async () => {
    await ensureConsoleBuilt();
    server = await startServerProcess();
    browser = await launchBrowser();
    stalls.start();
  }, 180_000);
  afterEach(async (context) => {
    const longestStallMs = await stalls.takeLongest();
    if (context.task.result?.state !== 'fail' || !server) return;
    console.error(
      `${context.task.name}: failed (attempt ${(context.task.result?.retryCount ?? 0) + 1}).\n${await diagnose(server, longestStallMs)}`,
    );
  }, 15_000);
  afterAll(async () => {
    stalls.stop();
    await browser?.close();
    await server?.stop();
  }, 30_000);
  return () => {
    if (!server || !browser) throw new Error('the server or the browser did not start');
    return { server, browser };
  };
}

async function diagnose(server: ServerProcess, longestStallMs: number): Promise<string> {
  const started = performance.now();
  let health: string;
  try {
    const answer = await fetch(`${server.origin}/healthz`, { signal: AbortSignal.timeout(10_000) });
    health = `HTTP ${answer.status} in ${Math.round(performance.now() - started)} ms`;
  } catch (error) {
    health = `no answer after ${Math.round(performance.now() - started)} ms (${error instanceof Error ? error.message : String(error)})`;
  }
  return [
    `server /healthz now: ${health}`,
    `longest event-loop stall of this test process during the test: ${longestStallMs} ms`,
    `server output (last 4,000 characters):\n${server.output().slice(-4000)}`,
  ].join('\n');
}

/** The longest time this process's event loop was held up, measured with a 20 ms timer that notes how late it ran. */
function stallWatch() {
  const everyMs = 20;
  let timer: NodeJS.Timeout | undefined;
  let last = 0;
  let longest = 0;
  return {
    start() {
      last = performance.now();
      timer = setInterval(() => {
        const now = performance.now();
        longest = Math.max(longest, now - last - everyMs);
        last = now;
      }, everyMs).unref();
    },
    /** The longest stall since the last call; waits for the timer's next turn first, which notes a stall just ended. */
    async takeLongest() {
      await sleep(everyMs * 2);
      const found = Math.round(longest);
      longest = 0;
      return found;
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/**
 * Options for every browser suite's `describe`: in CI a failed browser test runs once more
 * (docs/decisions/0026-browser-test-retry.md). The first failure still prints its diagnosis (`useBrowserAndServer`)
 * and the reporter still shows the retry; locally a failure stays a failure.
 */
export const browserSuiteOptions = { retry: process.env.CI ? 1 : 0 };
