import { describe, expect, it, vi } from 'vitest';
import { preparedTokenSubjectRows } from '../../src/storage/queries/access-subjects.js';
import { preparedProjectWithGrants } from '../../src/storage/queries/project-access.js';
import { describeEachDatabase } from '../support/databases.js';
import { useTestApp } from '../support/test-app.js';

/**
 * The reads on every request's path visit a person's groups (the bearer-token lookup aggregates them; a decision on a
 * project probes the project's grants for each). For a person in 50 groups, each membership read from the table
 * instead of the index was a large part of `/authorize` (docs/product/speed-targets.md#at-company-scale).
 */
describeEachDatabase('per-request reads of a person’s groups', (dialect) => {
  const t = useTestApp(dialect);

  it('have an index of group_members by (user_id, group_id) and no index on user_id alone', async () => {
    const database = t().services.database;
    const indexes =
      dialect === 'postgres'
        ? (await database.raw.pool?.query("select indexdef as sql from pg_indexes where tablename = 'group_members'"))?.rows
        : database.raw.sqlite?.prepare("select sql from sqlite_master where type = 'index' and tbl_name = 'group_members'").all();
    const definitions = ((indexes ?? []) as Array<{ sql: string | null }>).map((row) => (row.sql ?? '').replace(/["`]/g, ''));
    expect(
      definitions.some((d) => /\(\s*user_id\s*,\s*group_id\s*\)/.test(d)),
      definitions.join('\n'),
    ).toBe(true);
    expect(definitions.filter((d) => /\(\s*user_id\s*\)/.test(d))).toEqual([]);
  });
});

// SQLite keeps no statistics, so its plans are what the code asks for; PostgreSQL's depend on the data (the bench
// prints them at company scale, bench/results/query-plans-postgresql.txt).
describe('per-request reads of a person’s groups [sqlite plans]', () => {
  const t = useTestApp('sqlite');

  it('read memberships from the index alone (plans of the prepared statements)', async () => {
    const database = t().services.database;
    const statements: Array<{ name: string; sql: string; values: readonly unknown[] }> = [];
    // The statements as the server prepares them: recorded on their way to the database.
    const spy = vi.spyOn(database, 'readPrepared');
    try {
      await preparedTokenSubjectRows(database, { digest: 'd' });
      await preparedProjectWithGrants(database, { projectId: 'p', userA: 'a', userB: 'b' });
    } finally {
      for (const [name, sql, values] of spy.mock.calls) statements.push({ name, sql, values });
      spy.mockRestore();
    }
    expect(statements.map((s) => s.name)).toEqual(['roster_token_subject', 'roster_project_access_view']);
    for (const statement of statements) {
      const plan = database.raw.sqlite?.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...statement.values) as Array<{
        detail: string;
      }>;
      const details = plan.map((row) => row.detail);
      const text = `${statement.name}:\n${details.join('\n')}`;
      expect(
        details.some((d) => /SEARCH (group_members|gm) USING COVERING INDEX group_members_user_group \(user_id=\?\)/.test(d)),
        text,
      ).toBe(true);
      expect(
        details.filter((d) => /^SCAN (group_members|project_access|projects|groups|users)\b/.test(d)),
        text,
      ).toEqual([]);
    }
  });
});
