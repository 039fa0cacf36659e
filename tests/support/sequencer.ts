import fs from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Seconds each test file took in a recent full run (`node scripts/test-durations.mjs <report.json>` rewrites it). */
const durationsFile = path.join(import.meta.dirname, 'durations.json');

function readDurations(): Record<string, number> {
  try {
    return JSON.parse(fs.readFileSync(durationsFile, 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

/**
 * Longest file first (docs/decisions/0022-test-run-speed.md). Two workers take files from one queue, so the run ends
 * when the last file does: started last, a long file keeps one worker busy while the other has nothing left to do.
 * Started first, it runs while the short files fill the other worker. Vitest orders by its own cache of the last run's
 * durations, which a clean CI checkout does not have (it then falls back to file size, and a 150-line browser or CLI
 * suite outlasts a 400-line API suite many times over); the durations committed here are always there. A file they do
 * not know yet (just added) is estimated from its size at the median seconds per byte of the files they know.
 */
export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const durations = readDurations();
    const root = this.ctx.config.root;
    const key = (file: TestSpecification) => path.relative(root, file.moduleId).split(path.sep).join('/');
    const size = (file: TestSpecification) => {
      try {
        return fs.statSync(file.moduleId).size;
      } catch {
        return 0;
      }
    };
    const rates = files
      .filter((file) => durations[key(file)] !== undefined && size(file) > 0)
      .map((file) => (durations[key(file)] ?? 0) / size(file))
      .sort((a, b) => a - b);
    const medianRate = rates.length > 0 ? (rates[Math.floor(rates.length / 2)] ?? 0) : 0;
    const estimate = new Map(files.map((file) => [file, durations[key(file)] ?? size(file) * medianRate]));
    return [...files].sort((a, b) => (estimate.get(b) ?? 0) - (estimate.get(a) ?? 0) || key(a).localeCompare(key(b)));
  }
}
