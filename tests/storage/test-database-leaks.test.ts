import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { expect, it } from 'vitest';
import { dropDatabasesLeftBehind } from '../support/database-templates.js';
import { createTestDatabase, describeEachDatabase } from '../support/databases.js';

// The run's teardown (tests/support/database-templates.ts) fails a run that leaves a test database behind. Asked here
// about a run of its own, so that the databases other files of this run hold open are none of its business.
describeEachDatabase('test databases left behind', (dialect) => {
  it('are found by their run, named with the test file that made them, and dropped', async () => {
    const run = `leak${randomBytes(3).toString('hex')}`;
    const kept = await createTestDatabase(dialect, { run });
    const forgotten = await createTestDatabase(dialect, { run });
    await kept.drop();

    const left = await dropDatabasesLeftBehind(run);

    expect(left).toHaveLength(1);
    expect(left[0]).toContain('made by tests/storage/test-database-leaks.test.ts');
    if (forgotten.config.kind === 'sqlite') {
      expect(left[0]).toContain(forgotten.config.file.replace(/\/roster\.db$/, ''));
      expect(fs.existsSync(forgotten.config.file.replace(/\/roster\.db$/, ''))).toBe(false);
    } else {
      expect(left[0]).toContain(new URL(forgotten.config.url).pathname.slice(1));
    }
    expect(await dropDatabasesLeftBehind(run)).toEqual([]);
  });
});
