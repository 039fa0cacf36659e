import { afterEach, expect, it } from 'vitest';
import { serve } from '../../src/server/server.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

// docs/product/running.md: `roster serve` shuts down cleanly on SIGTERM/SIGINT. A supervisor (or a test) may send
// SIGTERM the moment the first line appears; with no listener yet, Node's default action kills the process with no
// clean close (seen as exit code null in tests/cli/secret-key under load). So every printed line must find both.
let t: TestApp | undefined;
const counts = () => ({ term: process.listenerCount('SIGTERM'), int: process.listenerCount('SIGINT') });
const before = counts();

afterEach(async () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const extra = process.listeners(signal).slice(signal === 'SIGTERM' ? before.term : before.int);
    for (const listener of extra) process.removeListener(signal, listener);
  }
  await t?.close();
});

it('listens for SIGTERM and SIGINT before it prints its first line', async () => {
  t = await createTestApp('sqlite');
  const start = counts();
  const atEachLine: Array<{ line: string; term: number; int: number }> = [];
  const app = await serve(t.services, (line) => atEachLine.push({ line, ...counts() }), false);
  await app.close();
  expect(atEachLine.length).toBeGreaterThan(0);
  for (const seen of atEachLine) expect(seen, seen.line).toMatchObject({ term: start.term + 1, int: start.int + 1 });
});
