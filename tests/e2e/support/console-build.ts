import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths.js';

const run = promisify(execFile);

async function newestChange(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestChange(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
}

async function modifiedAt(path: string): Promise<number | null> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return null;
  }
}

/**
 * Builds the console into dist/web unless the build there is newer than every file under web/ and src/shared/.
 * The server serves dist/web, so a browser test must never run against a missing or stale build. Vitest's global
 * setup calls this once before any worker starts (tests/e2e/support/global-setup.ts), so parallel browser suites
 * never rebuild dist/web under each other's feet.
 */
export async function ensureConsoleBuilt(): Promise<'built' | 'up to date'> {
  const builtAt = await modifiedAt(join(repoRoot, 'dist/web/index.html'));
  // The console imports types and the catalogue from src/shared, so a change there makes the build stale too.
  const sourcesChangedAt = Math.max(await newestChange(join(repoRoot, 'web')), await newestChange(join(repoRoot, 'src/shared')));
  if (builtAt !== null && builtAt >= sourcesChangedAt) return 'up to date';
  await run(process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts'], {
    cwd: repoRoot,
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return 'built';
}
