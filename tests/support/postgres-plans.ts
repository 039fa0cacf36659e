import type { Pool } from 'pg';
import { type RecordedStatement, statementRecorder } from '../../scripts/lib/statement-recorder.js';
import type { Database } from '../../src/storage/database.js';

/** One node of PostgreSQL's `EXPLAIN (ANALYZE, FORMAT JSON)`: `Actual Rows` is per loop. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  /** Index-only scans: rows whose visibility the table had to confirm. */
  'Heap Fetches'?: number;
  Plans?: PlanNode[];
}

/** The JSON plan's rows as PostgreSQL answers them (`EXPLAIN (…, FORMAT JSON)` returns one row, one column). */
export type ExplainRows = Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>;

/** Every node of the plan, depth first. */
export function planNodes(rows: ExplainRows): PlanNode[] {
  const walk = (node: PlanNode | undefined): PlanNode[] => (node ? [node, ...(node.Plans ?? []).flatMap(walk)] : []);
  return walk(rows[0]?.['QUERY PLAN'][0]?.Plan);
}

/** Scans of `tables` that returned more than one row per loop: a read that is not a probe by key. */
export function scansBeyondOneRow(nodes: PlanNode[], tables: readonly string[]): PlanNode[] {
  return nodes.filter((n) => n['Relation Name'] !== undefined && tables.includes(n['Relation Name']) && n['Actual Rows'] > 1);
}

/** The plan in one line per node, for an assertion's message. */
export function describePlan(nodes: PlanNode[]): string {
  return nodes
    .map((n) => {
      const fetches = n['Heap Fetches'] === undefined ? '' : ` heap fetches=${n['Heap Fetches']}`;
      return `${n['Node Type']} ${n['Relation Name'] ?? ''} rows=${n['Actual Rows']} loops=${n['Actual Loops']}${fetches}`;
    })
    .join('\n');
}

/** The statements `work` runs through Kysely (compiled, with their parameters), in order. */
export async function capturedStatements(database: Database, work: (db: Database['db']) => Promise<unknown>): Promise<RecordedStatement[]> {
  const recorder = statementRecorder(database.db.getExecutor());
  await work(database.db.withPlugin(recorder.plugin));
  return recorder.statements;
}

/**
 * VACUUM ANALYZE `tables` until every page of each is marked all-visible, so that index-only scans read no table rows
 * (at most 10 tries, 200 ms apart). Two things keep a page from being marked: test databases commit asynchronously
 * (synchronous_commit = off) and VACUUM marks no row whose commit is not on disk yet, which one synchronous commit
 * settles; and a snapshot still open in the database (autovacuum analysing an earlier test's rows) keeps rows newer
 * than it from counting as visible to everyone, which only waiting settles.
 */
export async function vacuumUntilAllVisible(pool: Pool, tables: readonly string[]): Promise<void> {
  await pool.query('BEGIN; SET LOCAL synchronous_commit = on; SELECT txid_current(); COMMIT');
  for (let attempt = 1; ; attempt++) {
    await pool.query(`VACUUM ANALYZE ${tables.join(', ')}`);
    const pages = await pool.query<{ relname: string; relpages: number; relallvisible: number }>(
      'select relname, relpages, relallvisible from pg_class where relname = any($1)',
      [[...tables]],
    );
    const behind = pages.rows.filter((row) => row.relallvisible < row.relpages);
    if (behind.length === 0) return;
    if (attempt === 10) throw new Error(`pages not all-visible after VACUUM: ${JSON.stringify(behind)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
