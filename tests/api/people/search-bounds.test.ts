import { randomUUID } from 'node:crypto';
import { type CompiledQuery, sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { seedPeople } from '../../../src/domain/people/seed-people.js';
import type { UserRow } from '../../../src/storage/schema.js';
import { describeEachDatabase } from '../../support/databases.js';
import { buildApiToken, buildUser } from '../../support/factories.js';
import { type TestApp, useTestApp } from '../../support/test-app.js';

/**
 * docs/product/security-settings.md#bounded-work: a People search of one or two characters, `%`, `_` or nothing at all
 * must not make the server walk the table. Such terms match prefixes only (a substring search needs three characters),
 * and every statement the search sends to the database reads an index range in index order and keeps every row it
 * reads: no full scan, no sort, no row read and then dropped by a filter (that is what made `query=qx` walk 300,000
 * rows). The statements are taken from the real requests (an observer on Kysely's executor) and each one's plan is read
 * on 20,000 people, enough for both planners to choose as they would at a million.
 */
const seeded = 20_000;

/** Statements that reach the database through Kysely while `work` runs (the request path uses that executor). */
async function statementsOf(t: TestApp, work: () => Promise<void>): Promise<CompiledQuery[]> {
  const executor = t.services.database.db.getExecutor();
  const statements: CompiledQuery[] = [];
  const original = executor.executeQuery.bind(executor);
  executor.executeQuery = ((query: CompiledQuery) => {
    statements.push(query);
    return original(query);
  }) as typeof executor.executeQuery;
  const database = t.services.database as { readOffThread?: (query: CompiledQuery) => Promise<unknown[]> };
  const offThread = database.readOffThread;
  if (offThread) {
    database.readOffThread = (query) => {
      statements.push(query);
      return offThread.call(t.services.database, query);
    };
  }
  try {
    await work();
  } finally {
    Reflect.deleteProperty(executor, 'executeQuery');
    if (offThread) database.readOffThread = offThread;
  }
  return statements;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

function* nodesOf(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* nodesOf(child);
}

/**
 * A statement whose cost its LIMIT bounds.
 * - PostgreSQL runs it under EXPLAIN ANALYZE: no sequential or bitmap scan of `users`, and every scan of `users` read
 *   (returned plus dropped by a filter) at most as many rows as the LIMIT. The planner may pick any index it likes;
 *   what it may not do is read rows only to drop them.
 * - SQLite's plan shows neither row counts nor filters. The same statement text (one builder serves both databases)
 *   is checked for substring matching, and its plan for full scans, sorts and a role left out of the index range.
 */
async function expectBounded(t: TestApp, statement: CompiledQuery): Promise<void> {
  const { sqlite, pool } = t.services.database.raw;
  if (pool) {
    const result = await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.sql}`, [...statement.parameters]);
    const root = (result.rows[0] as { 'QUERY PLAN': Array<{ Plan: PlanNode }> })['QUERY PLAN'][0]?.Plan as PlanNode;
    const context = `${statement.sql}\n${JSON.stringify(statement.parameters)}\n${JSON.stringify(root, null, 1)}`;
    const limit = /limit \$(\d+)/i.exec(statement.sql);
    for (const node of nodesOf(root)) {
      if (node['Relation Name'] !== 'users') continue;
      expect(node['Node Type'], context).not.toMatch(/Seq Scan|Bitmap Heap Scan/);
      if (!limit) continue;
      const read =
        (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1) +
        (node['Rows Removed by Filter'] ?? 0) +
        (node['Rows Removed by Index Recheck'] ?? 0);
      expect(read, context).toBeLessThanOrEqual(Number(statement.parameters[Number(limit[1]) - 1]));
    }
    return;
  }
  if (!sqlite) throw new Error('no raw driver');
  const rows = sqlite.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...(statement.parameters as unknown[])) as Array<{
    detail: string;
  }>;
  const plan = rows.map((row) => row.detail).join('\n');
  const context = `${statement.sql}\n${JSON.stringify(statement.parameters)}\n${plan}`;
  expect(statement.sql, context).not.toMatch(/ like | match |json_each/i);
  expect(plan, context).not.toMatch(/\bSCAN users\b|TEMP B-TREE/);
  // A role filter must be part of the index range, or the rows of every other role are read and dropped.
  if (/"users"\."role" = \?/.test(statement.sql)) expect(plan, context).toMatch(/\(status=\? AND role=\?/);
}

async function insertRaw(t: TestApp, rows: Array<Pick<UserRow, 'username' | 'email' | 'role' | 'status'>>): Promise<void> {
  const now = t.services.now().toISOString();
  await t.services.database.db
    .insertInto('users')
    .values(
      rows.map((row) => ({
        id: randomUUID(),
        username: row.username,
        email: row.email,
        email_canonical: row.email.toLowerCase(),
        role: row.role,
        status: row.status,
        must_change_password: 0 as const,
        created_at: now,
        removed_at: row.status === 'removed' ? now : null,
      })),
    )
    .execute();
}

// docs/product/security-settings.md#bounded-work
describeEachDatabase('people search stays within an index range', (dialect) => {
  const t = useTestApp(dialect);
  let token = '';

  beforeAll(async () => {
    await seedPeople(t().cliContext(), { count: seeded });
    // Usernames that are their email's local part: every email-prefix match of "qa" is a username match too, so the
    // email phase must skip all of them (the directory of many companies looks like this).
    await insertRaw(
      t(),
      Array.from({ length: 300 }, (_, i) => ({
        username: `qa-${String(i).padStart(3, '0')}`,
        email: `qa-${String(i).padStart(3, '0')}@corp.example`,
        role: i % 10 === 0 ? ('admin' as const) : ('member' as const),
        status: 'active' as const,
      })),
    );
    await insertRaw(
      t(),
      Array.from({ length: 200 }, (_, i) => ({
        username: `gone-${i}`,
        email: `a${i}.gone@example.com`,
        role: 'member' as const,
        status: 'removed' as const,
      })),
    );
    // PostgreSQL plans from statistics, which autovacuum gathers soon after such a load; Roster never runs ANALYZE on
    // SQLite, so its plans are checked as a real instance makes them, without statistics.
    if (dialect === 'postgres') await sql`ANALYZE`.execute(t().services.database.db);
    token = await buildApiToken(t(), t().owner.user);
  }, 180_000);

  async function get(url: string) {
    return t().app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  }

  it('answers searches of one or two characters with prefix matches only; three characters also match inside', async () => {
    // No seeded name contains "xq" (see `syntheticIdentity`), so these three are the only candidates.
    await buildUser(t(), { username: 'xq-first', email: 'first@example.org' });
    await buildUser(t(), { username: 'pp-second', email: 'xq.second@example.org' });
    await buildUser(t(), { username: 'mid-xq-dle', email: 'middle@example.org' });
    const names = async (query: string) => {
      const response = await get(`/api/v1/people?limit=500&query=${encodeURIComponent(query)}`);
      expect(response.statusCode, response.body).toBe(200);
      return (response.json().items as Array<{ username: string }>).map((person) => person.username);
    };
    expect(await names('xq')).toEqual(['xq-first', 'pp-second']);
    expect(await names('XQ')).toEqual(['xq-first', 'pp-second']);
    expect(await names('x')).not.toContain('mid-xq-dle');
    expect(await names('xq-')).toEqual(['xq-first', 'mid-xq-dle']);
    expect(await names('%')).toEqual([]);
    expect(await names('_')).toEqual([]);
    // The picker's lookup follows the same rule.
    const lookup = await get('/api/v1/people/lookup?query=xq');
    expect((lookup.json().items as Array<{ username: string }>).map((person) => person.username)).toEqual(['xq-first', 'pp-second']);
  });

  it('reads only bounded index ranges for short, wildcard and empty searches, on every page and filter', async () => {
    const terms = ['q', 'qa', 'a', 'zz', '%', '_', '%_', '.', ''];
    const filters = ['', '&role=admin', '&status=removed'];
    let checked = 0;
    for (const term of terms) {
      for (const filter of filters) {
        const statements = await statementsOf(t(), async () => {
          let cursor: string | null = null;
          for (let page = 0; page < 25; page++) {
            const url: string = `/api/v1/people?limit=100&query=${encodeURIComponent(term)}${filter}${cursor ? `&cursor=${cursor}` : ''}`;
            const response = await get(url);
            expect(response.statusCode, response.body).toBe(200);
            cursor = response.json().nextCursor;
            if (!cursor) break;
          }
        });
        for (const statement of statements.filter((s) => /from "users"/i.test(s.sql))) {
          await expectBounded(t(), statement);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(terms.length * filters.length);
  }, 120_000);

  it('lists every prefix match once when the email phase has to skip them all', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const url: string = `/api/v1/people?limit=40&query=qa${cursor ? `&cursor=${cursor}` : ''}`;
      const body = (await get(url)).json() as { items: Array<{ username: string }>; nextCursor: string | null };
      seen.push(...body.items.map((person) => person.username));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    const expected = Array.from({ length: 300 }, (_, i) => `qa-${String(i).padStart(3, '0')}`);
    // Seeded people whose generated name starts with "qa" would come first or among them; there are none.
    expect(seen).toEqual(expected);
  });

  it('refuses a cursor that would carry a short search into substring matches', async () => {
    for (const phase of ['substring', 'all']) {
      const cursor = Buffer.from(JSON.stringify([phase])).toString('base64url');
      const response = await get(`/api/v1/people?query=qx&cursor=${cursor}`);
      expect(response.statusCode, `${phase}: ${response.body}`).toBe(400);
      expect(response.json().code).toBe('validation_failed');
    }
  });
});
