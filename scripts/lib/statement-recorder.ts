import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryExecutor,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/** A statement as it went to the database: its SQL and its values. */
export interface RecordedStatement {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * Records the statements run through a Kysely instance the returned plugin is added to (`db.withPlugin(plugin)`), in
 * the order their results came back, compiled by `executor` (the plain instance's). A query is compiled when it is
 * built, sub-queries and prepared reads' templates too; only statements whose results came back are recorded. Used by
 * the tests that read query plans and by the bench's query-plan report.
 */
export function statementRecorder(executor: QueryExecutor): { plugin: KyselyPlugin; statements: RecordedStatement[] } {
  const compiled = new Map<unknown, RecordedStatement>();
  const statements: RecordedStatement[] = [];
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      const query = executor.compileQuery(args.node, args.queryId);
      compiled.set(args.queryId, { sql: query.sql, parameters: query.parameters });
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const statement = compiled.get(args.queryId);
      if (statement) {
        compiled.delete(args.queryId);
        statements.push(statement);
      }
      return args.result;
    },
  };
  return { plugin, statements };
}
