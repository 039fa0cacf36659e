// `npm test`: every suite (unit, API, storage, CLI, browser) in one Vitest run. PostgreSQL halves need
// ROSTER_TEST_DATABASE_URL, browser tests need Chromium; what cannot run says so instead of passing silently.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const chromium = process.env.ROSTER_CHROMIUM ?? '/usr/bin/chromium';
const notes = [];
if (!process.env.ROSTER_TEST_DATABASE_URL)
  notes.push('PostgreSQL suites: skipped: set ROSTER_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
if (!fs.existsSync(chromium)) notes.push(`Browser suites: skipped: Chromium not found at ${chromium}; install it or set ROSTER_CHROMIUM`);
for (const note of notes) console.log(`NOTE ${note}`);

const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const note of notes) console.log(`NOTE ${note}`);
process.exit(result.status ?? 1);
