import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The console build for browser suites; the server compiled once for suites that spawn `roster`.
    globalSetup: ['tests/e2e/support/global-setup.ts', 'tests/support/global-setup.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two cores: argon2 and two databases per suite; more workers only fight over them.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
