import type { Compilable } from 'kysely';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import {
  emailPrefixRangeQuery,
  pageQuery,
  substringQuery,
  substringWalkQuery,
  usernamePrefixQuery,
} from '../../../src/storage/queries/user-pages.js';
import { describeEachDatabase } from '../../support/databases.js';
import { type TestApp, useTestApp } from '../../support/test-app.js';

/**
 * The People list must stay index-driven at a million people (docs/product/speed-targets.md#targets): prefix search is
 * an index range, paging is a keyset on the index order, never OFFSET, never a sort of the whole table. These tests
 * read each query's plan on 20,000 people (enough for both planners to prefer the indexes) and fail when a full scan or
 * sort creeps in.
 */
const people = 20_000;

async function seed(t: TestApp): Promise<void> {
  const columns = sql`(id, username, email, email_canonical, role, status, must_change_password, mfa_enabled, created_at)`;
  if (t.dialect === 'postgres') {
    await sql`INSERT INTO users ${columns}
      SELECT md5(n::text), 'p' || lpad(n::text, 6, '0'), 'mail' || n || '@example.com', 'mail' || n || '@example.com',
             CASE WHEN n % 100 = 0 THEN 'admin' ELSE 'member' END, CASE WHEN n % 50 = 0 THEN 'removed' ELSE 'active' END, 0, CASE WHEN n % 10 = 0 THEN 1 ELSE 0 END, '2025-01-01T00:00:00.000Z'
      FROM generate_series(1, ${people}) AS n`.execute(t.services.database.db);
    await sql`ANALYZE users`.execute(t.services.database.db);
  } else {
    await sql`WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${people})
      INSERT INTO users ${columns}
      SELECT hex(randomblob(16)), 'p' || substr('000000' || n, -6), 'mail' || n || '@example.com', 'mail' || n || '@example.com',
             CASE WHEN n % 100 = 0 THEN 'admin' ELSE 'member' END, CASE WHEN n % 50 = 0 THEN 'removed' ELSE 'active' END, 0, CASE WHEN n % 10 = 0 THEN 1 ELSE 0 END, '2025-01-01T00:00:00.000Z'
      FROM seq`.execute(t.services.database.db);
    await sql`ANALYZE`.execute(t.services.database.db);
  }
}

/** The plan as text: PostgreSQL's EXPLAIN, SQLite's EXPLAIN QUERY PLAN. */
async function planOf(t: TestApp, query: Compilable): Promise<string> {
  const compiled = query.compile();
  const { sqlite, pool } = t.services.database.raw;
  if (pool) {
    const result = await pool.query(`EXPLAIN ${compiled.sql}`, [...compiled.parameters]);
    return result.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
  }
  if (!sqlite) throw new Error('no raw driver');
  const rows = sqlite.prepare(`EXPLAIN QUERY PLAN ${compiled.sql}`).all(...(compiled.parameters as unknown[])) as Array<{ detail: string }>;
  return rows.map((row) => row.detail).join('\n');
}

/** No full-table scan, no sort of the result: the index delivers the rows in page order. */
function expectIndexOrdered(plan: string, index: string | RegExp): void {
  expect(plan).toMatch(index);
  expect(plan).not.toMatch(/Seq Scan|^SCAN users$|Sort|TEMP B-TREE/m);
}

describeEachDatabase('people list query plans', (dialect) => {
  const t = useTestApp(dialect);
  beforeAll(async () => seed(t()), 60_000);
  const after = { username: 'p010000', id: 'ffff' };
  // Active usernames are unique: PostgreSQL reads active lists from the smaller partial unique index on username.
  const activeByUsername = /users_status_username_id|users_username_active/;

  it('pages by keyset on (status, username, id) without sorting', async () => {
    const db = t().services.database.db;
    const first = await planOf(t(), pageQuery(db, { status: 'active' }, null, 51));
    const later = await planOf(t(), pageQuery(db, { status: 'active' }, after, 51));
    console.info(`[${dialect}] first page:\n${first}\n[${dialect}] later page:\n${later}`);
    expectIndexOrdered(first, activeByUsername);
    expectIndexOrdered(later, activeByUsername);
    expect(later).not.toMatch(/OFFSET/i);
  });

  it('pages removed people by keyset on (status, username, id) without sorting', async () => {
    const plan = await planOf(t(), pageQuery(t().services.database.db, { status: 'removed' }, after, 51));
    console.info(`[${dialect}] removed, later page:\n${plan}`);
    expectIndexOrdered(plan, 'users_status_username_id');
  });

  it('filters by role on (status, role, username, id) without sorting', async () => {
    const plan = await planOf(t(), pageQuery(t().services.database.db, { status: 'active', role: 'admin' }, after, 51));
    console.info(`[${dialect}] role filter:\n${plan}`);
    expectIndexOrdered(plan, 'users_status_role_username_id');
  });

  it('filters by two-factor state on (status, mfa_enabled, username, id) without sorting', async () => {
    const plan = await planOf(t(), pageQuery(t().services.database.db, { status: 'active', mfaEnabled: true }, after, 51));
    console.info(`[${dialect}] two-factor filter:\n${plan}`);
    // SQLite has no statistics and must range over the index of migration 0010. PostgreSQL may rather read the
    // smaller username index and filter when, as here, one account in ten matches: in order either way.
    expectIndexOrdered(plan, dialect === 'sqlite' ? 'users_status_mfa_username_id' : /users_status_mfa_username_id|users_username_active/);
  });

  it('filters by role and two-factor state together on (status, role, mfa_enabled, username, id) without sorting', async () => {
    const db = t().services.database.db;
    const page = await planOf(t(), pageQuery(db, { status: 'active', role: 'admin', mfaEnabled: true }, after, 51));
    const prefix = await planOf(t(), usernamePrefixQuery(db, { status: 'active', role: 'admin', mfaEnabled: true }, 'p01', after, 51));
    console.info(`[${dialect}] role and two-factor filter:\n${page}\n[${dialect}] with a username prefix:\n${prefix}`);
    expectIndexOrdered(page, 'users_status_role_mfa_username_id');
    expectIndexOrdered(prefix, 'users_status_role_mfa_username_id');
  });

  it('searches a username prefix as an index range, in order', async () => {
    const plan = await planOf(t(), usernamePrefixQuery(t().services.database.db, { status: 'active' }, 'p0123', after, 51));
    console.info(`[${dialect}] username prefix:\n${plan}`);
    expectIndexOrdered(plan, activeByUsername);
  });

  it('searches an email prefix as an index range, in order, on the first and on later pages, with or without a role', async () => {
    const db = t().services.database.db;
    const first = await planOf(t(), emailPrefixRangeQuery(db, { status: 'active' }, 'mail123', null, 51));
    const later = await planOf(t(), emailPrefixRangeQuery(db, { status: 'active' }, 'mail123', { email: 'mail1234@x', id: 'ffff' }, 51));
    const byRole = await planOf(
      t(),
      emailPrefixRangeQuery(db, { status: 'active', role: 'admin' }, 'mail1', { email: 'mail1234@x', id: 'ffff' }, 51),
    );
    console.info(`[${dialect}] email prefix:\n${first}\n[${dialect}] later page:\n${later}\n[${dialect}] with a role:\n${byRole}`);
    expectIndexOrdered(first, /users_status_email_id/);
    expectIndexOrdered(later, /users_status_email_id/);
    expectIndexOrdered(byRole, /users_status_role_email_id/);
  });

  it('walks substring windows in index order when the trigram index cannot narrow a term down', async () => {
    const plan = await planOf(t(), substringWalkQuery(t().services.database.db, { status: 'active' }, after, 250));
    console.info(`[${dialect}] substring walk window:\n${plan}`);
    expectIndexOrdered(plan, activeByUsername);
  });

  it.runIf(dialect === 'postgres')('finds substring matches through an index, never a full table scan', async () => {
    const plan = await planOf(t(), substringQuery(t().services.database.db, { status: 'active' }, '123', null, 51));
    console.info(`[${dialect}] substring:\n${plan}`);
    // The planner chooses between the pg_trgm indexes and an ordered walk of the username index; never a Seq Scan.
    expect(plan).toMatch(/Index/);
    expect(plan).not.toMatch(/Seq Scan/);
  });
});
