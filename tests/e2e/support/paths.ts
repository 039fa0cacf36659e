import { fileURLToPath } from 'node:url';

/** The repository root, whatever directory the tests are started from. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Where browser tests save screenshots (git-ignored with the rest of test-results/). */
export const screenshotDir = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url));
