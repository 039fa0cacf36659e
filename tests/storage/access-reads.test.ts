import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { preparedTokenSubjectRows } from '../../src/storage/queries/access-subjects.js';
import { preparedProjectWithGrants } from '../../src/storage/queries/project-access.js';
import { describeEachDatabase, postgresAdminUrl, postgresSkipReason } from '../support/databases.js';
import { buildApiToken, buildMember, buildProject, insertInChunks } from '../support/factories.js';
import { describePlan, type ExplainRows, planNodes, scansBeyondOneRow } from '../support/postgres-plans.js';
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

// PostgreSQL runs a prepared statement with a generic plan (its parameters unknown) after its fifth execution; the
// generic plan follows the statistics. On a company-shaped directory the per-request reads, written as joins, were
// planned as hash joins that read every group and every group grant of the project asked about
// (docs/decisions/0027-authorize-one-read.md, third amendment). Here the generic plan is forced and each read must
// still probe `groups` and `project_access` by key: at most one row per probe, however many there are.
describe.skipIf(!postgresAdminUrl)('per-request reads of a person’s groups [postgres generic plans]', () => {
  if (!postgresAdminUrl) console.warn(postgresSkipReason);
  const t = useTestApp('postgres');

  it('probe groups and the project’s grants by key, one row per probe, however many the directory and the project hold', async () => {
    const database = t().services.database;
    const db = database.db;
    const now = t().services.now().toISOString();
    const person = await buildMember(t());
    const token = await buildApiToken(t(), person.user);
    const others = await Promise.all(Array.from({ length: 40 }, () => buildMember(t())));
    const owner = others[0]?.user as { id: string };
    const groups = Array.from({ length: 2000 }, (_, i) => ({
      id: `g-plan-${i}`,
      name: `plan-${String(i).padStart(4, '0')}`,
      name_canonical: `plan-${String(i).padStart(4, '0')}`,
      description: '',
      role: null,
      created_at: now,
    }));
    await insertInChunks(db, 'groups', groups);
    const membership = (userId: string, group: number) => ({ group_id: `g-plan-${group}`, user_id: userId, created_at: now });
    await db
      .insertInto('group_members')
      .values([
        ...Array.from({ length: 50 }, (_, i) => membership(person.user.id, i * 40)),
        ...others.flatMap((other, o) => Array.from({ length: 15 }, (_, i) => membership(other.user.id, (o * 97 + i * 131) % 2000))),
      ])
      .execute();
    const hot = await buildProject(t(), owner);
    const projects = await Promise.all(Array.from({ length: 300 }, () => buildProject(t(), owner)));
    const grant = (projectId: string, group: number) => ({
      project_id: projectId,
      subject_type: 'group' as const,
      subject_id: `g-plan-${group}`,
      role: 'reader' as const,
      created_at: now,
    });
    // The project asked about holds some 800 group grants, a few dozen to the person's groups; the others one or two.
    const grants = [
      ...Array.from({ length: 800 }, (_, i) => grant(hot.id, i < 10 ? i * 40 : 1 + ((i * 7) % 1999))),
      ...projects.flatMap((project, p) => [grant(project.id, (p * 13) % 2000), ...(p % 2 ? [grant(project.id, (p * 17 + 5) % 2000)] : [])]),
    ];
    const unique = [...new Map(grants.map((g) => [`${g.project_id}/${g.subject_id}`, g])).values()];
    await insertInChunks(db, 'project_access', unique);
    const pool = database.raw.pool;
    if (!pool) throw new Error('a PostgreSQL database has a pool');
    await pool.query('ANALYZE groups, group_members, project_access, projects, users');

    const statements: Array<{ name: string; sql: string; values: readonly unknown[] }> = [];
    const spy = vi.spyOn(database, 'readPrepared');
    try {
      await preparedTokenSubjectRows(database, { digest: createHash('sha256').update(token).digest('hex') });
      await preparedProjectWithGrants(database, { projectId: hot.id, userA: person.user.id, userB: person.user.id });
    } finally {
      for (const [name, sql, values] of spy.mock.calls) statements.push({ name, sql, values });
      spy.mockRestore();
    }
    expect(statements.map((s) => s.name)).toEqual(['roster_token_subject', 'roster_project_access_view']);

    const client = await pool.connect();
    try {
      await client.query('SET plan_cache_mode = force_generic_plan');
      for (const [i, statement] of statements.entries()) {
        await client.query(`PREPARE generic_${i} AS ${statement.sql}`);
        const literals = statement.values.map((value) => client.escapeLiteral(String(value))).join(', ');
        const explained = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE generic_${i}(${literals})`);
        const nodes = planNodes(explained.rows as ExplainRows);
        const text = `${statement.name}:\n${describePlan(nodes)}`;
        expect(
          nodes.filter((n) => n['Relation Name'] === 'groups' || n['Relation Name'] === 'project_access'),
          text,
        ).not.toEqual([]);
        expect(scansBeyondOneRow(nodes, ['groups', 'project_access']), text).toEqual([]);
      }
      // The answer is the one asked for: the project's grants to the person's 50 groups.
      const mine = new Set(Array.from({ length: 50 }, (_, i) => `g-plan-${i * 40}`));
      const expected = unique.filter((g) => g.project_id === hot.id && mine.has(g.subject_id)).map((g) => g.subject_id);
      expect(expected.length).toBeGreaterThanOrEqual(10);
      const answer = await client.query(
        `EXECUTE generic_1(${statements[1]?.values.map((v) => client.escapeLiteral(String(v))).join(', ')})`,
      );
      const found = (answer.rows[0] as { group_grants: Array<[string, string]> }).group_grants.map(([id]) => id);
      expect(found.sort()).toEqual(expected.sort());
    } finally {
      await client.query('DEALLOCATE ALL');
      await client.query('RESET plan_cache_mode');
      client.release();
    }
  });
});
