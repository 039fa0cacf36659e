import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './tests/support/sequencer.js';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The console build for browser suites; the server compiled once for suites that spawn `roster`; migrated
    // template databases that suites copy instead of migrating each time.
    globalSetup: ['tests/e2e/support/global-setup.ts', 'tests/support/global-setup.ts', 'tests/support/database-templates.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two cores: argon2 and two databases per suite; more workers only fight over them.
    maxWorkers: 2,
    // docs/decisions/0022-test-run-speed.md: the two workers live for the whole run and load the server's modules once,
    // instead of a new process that imports them again for each of the 76+ files (about half the run's CPU). Every
    // suite builds its own app on its own database and closes it; what modules keep between files is only caches
    // and counters (the factory password's hash, the hashing threads).
    isolate: false,
    // Longest file first, from the durations of a recent run (tests/support/durations.json).
    sequence: { sequencer: LongestFirstSequencer },
    reporters: ['default'],
  },
});
