/** One node of PostgreSQL's `EXPLAIN (ANALYZE, FORMAT JSON)`: `Actual Rows` is per loop. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
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
  return nodes.map((n) => `${n['Node Type']} ${n['Relation Name'] ?? ''} rows=${n['Actual Rows']} loops=${n['Actual Loops']}`).join('\n');
}
