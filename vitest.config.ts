import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './tests/support/sequencer.js';

const include = ['tests/**/*.test.ts'];

/**
 * Test files that replace modules or globals (`vi.mock`, `vi.stubGlobal`, …). They run isolated, each in a new worker
 * that imports everything afresh: in a shared worker the modules they mock may already be loaded by an earlier file,
 * unmocked (docs/decisions/0022-test-run-speed.md). Found by reading the files, so a new one is isolated too.
 */
function filesThatMock(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (
        entry.name.endsWith('.test.ts') &&
        /\bvi\.(mock|doMock|unmock|stubGlobal|stubEnv|resetModules)\(/.test(fs.readFileSync(full, 'utf8'))
      )
        found.push(
          path
            .relative(import.meta.dirname, full)
            .split(path.sep)
            .join('/'),
        );
    }
  };
  walk(path.join(import.meta.dirname, 'tests'));
  return found;
}
const mocking = filesThatMock();

// What both projects share. The global setups below run once, in the root project, and both projects read what they
// provide.
const common = {
  environment: 'node',
  testTimeout: 30_000,
  hookTimeout: 120_000,
  // Two cores: argon2 and two databases per suite; more workers only fight over them.
  maxWorkers: 2,
} as const;

export default defineConfig({
  test: {
    // The console build for browser suites; the server bundled once for suites that spawn `roster`; migrated
    // template databases that suites copy instead of migrating each time.
    globalSetup: ['tests/e2e/support/global-setup.ts', 'tests/support/global-setup.ts', 'tests/support/database-templates.ts'],
    ...common,
    // Longest file first, from the durations of a recent run (tests/support/durations.json).
    sequence: { sequencer: LongestFirstSequencer },
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'shared',
          include,
          exclude: mocking,
          ...common,
          // docs/decisions/0022-test-run-speed.md: the two workers live for the whole run and load the server's
          // modules once, instead of a new process that imports them again for each file (about half the run's CPU).
          // Every suite builds its own app on its own database and closes it; what modules keep between files is only
          // caches and counters (the factory password's hash, the hashing threads).
          isolate: false,
        },
      },
      { test: { name: 'isolated', include: mocking.length > 0 ? mocking : ['no-such-file'], ...common, isolate: true } },
    ],
  },
});
