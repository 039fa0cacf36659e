// `node scripts/test-durations.mjs <vitest-json-report>`: rewrites tests/support/durations.json, the seconds each test
// file took, from which the test sequencer starts the longest files first (docs/decisions/0022-test-run-speed.md).
// Make the report with a full run: `npx vitest run --reporter=default --reporter=json --outputFile=report.json`.
// Files missing from the report keep their old figure; files that no longer exist are dropped.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const target = path.join(root, 'tests/support/durations.json');
const reportFile = process.argv[2];
if (!reportFile) {
  console.error('usage: node scripts/test-durations.mjs <vitest-json-report>');
  process.exit(2);
}
const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
const old = fs.existsSync(target) ? JSON.parse(fs.readFileSync(target, 'utf8')) : {};
const durations = { ...old };
for (const file of report.testResults ?? []) {
  const key = path.relative(root, file.name).split(path.sep).join('/');
  if (typeof file.startTime === 'number' && typeof file.endTime === 'number') {
    durations[key] = Math.round((file.endTime - file.startTime) / 100) / 10;
  }
}
const kept = Object.entries(durations)
  .filter(([key]) => fs.existsSync(path.join(root, key)))
  .sort(([a], [b]) => a.localeCompare(b));
fs.writeFileSync(target, `${JSON.stringify(Object.fromEntries(kept), null, 2)}\n`);
console.log(`${kept.length} files in ${path.relative(root, target)}`);
