import type { CompiledQuery, QueryResult } from 'kysely';
import { expect } from 'vitest';
import type { TestApp } from './test-app.js';

/**
 * Counts what `during` asks the database: the prepared reads by statement name, and the Kysely queries. First checks
 * that the counter sees Kysely's queries at all, so that "none" means none.
 */
export async function readsDuring<T>(app: TestApp, during: () => Promise<T>): Promise<{ prepared: string[]; queries: number; result: T }> {
  const database = app.services.database;
  const prepared: string[] = [];
  let queries = 0;
  const readPrepared = database.readPrepared;
  const executeQuery = database.db.getExecutor().executeQuery;
  database.readPrepared = <R>(name: string, text: string, values: readonly unknown[]) => {
    prepared.push(name);
    return readPrepared.call(database, name, text, values) as Promise<R[]>;
  };
  const executor = database.db.getExecutor();
  executor.executeQuery = <R>(query: CompiledQuery<R>) => {
    queries++;
    return executeQuery.call(executor, query) as Promise<QueryResult<R>>;
  };
  try {
    // The counter sees Kysely's queries (so that "none" below means none).
    await database.db.selectFrom('users').select('id').limit(1).execute();
    expect(queries).toBe(1);
    queries = 0;
    const result = await during();
    return { prepared, queries, result };
  } finally {
    database.readPrepared = readPrepared;
    executor.executeQuery = executeQuery;
  }
}
