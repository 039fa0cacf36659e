import type { Compilable, Kysely } from 'kysely';
import type { Database, DialectName } from './dialects/driver.js';
import type { Schema } from './schema.js';

/**
 * Reads on the path of every request (token → user → groups, `/me`, a project's grants) are built with Kysely once,
 * compiled once per database, and then run as prepared statements with new values: no query builder, no compiler and
 * (SQLite) no mutex per call, (PostgreSQL) no parse and plan per call. The bench
 * (docs/product/speed-targets.md#targets) measured those layers at more than half of an authenticated request.
 */
export type PreparedRead<P, R> = (database: Database, params: P) => Promise<R[]>;

/** Where a compiled query's parameter comes from: a named input, or a constant the builder put there. */
type Slot = { name: string } | { value: unknown };

interface Plan {
  sql: string;
  slots: Slot[];
}

const sentinelPrefix = '\u0000roster-param:';
const usedNames = new Set<string>();

/** One compiled statement with its values, as `Database.readPrepared` and `Database.writePrepared` take it. */
export interface PreparedCall {
  name: string;
  sql: string;
  values: unknown[];
}

type Build<P, R> = (db: Kysely<Schema>, param: <K extends keyof P & string>(key: K) => P[K], dialect: DialectName) => Compilable<R>;

/**
 * Declares a prepared read. `name` must be unique (PostgreSQL keeps prepared statements by name per connection);
 * `build` receives `param(name)`, a placeholder to use wherever the query takes that input as a value, and the dialect,
 * for the rare fragment the two write differently (JSON aggregation).
 */
export function preparedRead<P extends Record<string, string | number | null>, R>(name: string, build: Build<P, R>): PreparedRead<P, R> {
  const call = compiledOnce(name, build);
  return (database, params) => {
    const { name: statement, sql, values } = call(database, params);
    return database.readPrepared<R>(statement, sql, values);
  };
}

/**
 * Declares a prepared write: one INSERT, UPDATE or DELETE built and compiled once, whose calls
 * `Database.writePrepared` runs in one transaction (the provider adapter's saves and consumptions: three per token
 * exchange, bench/README.md#where-an-exchanges-time-goes-now). Same rules for `name` and `build` as `preparedRead`.
 */
export function preparedWrite<P extends Record<string, string | number | null>>(
  name: string,
  build: Build<P, unknown>,
): (database: Database, params: P) => PreparedCall {
  return compiledOnce(name, build);
}

function compiledOnce<P extends Record<string, string | number | null>, R>(
  name: string,
  build: Build<P, R>,
): (database: Database, params: P) => PreparedCall {
  if (usedNames.has(name)) throw new Error(`prepared statement "${name}" is declared twice`);
  usedNames.add(name);
  const plans = new WeakMap<Database, Plan>();

  return (database, params) => {
    let plan = plans.get(database);
    if (!plan) {
      plan = compilePlan(database, build);
      plans.set(database, plan);
    }
    const values = plan.slots.map((slot) => ('name' in slot ? params[slot.name] : slot.value));
    return { name: `roster_${name}`, sql: plan.sql, values };
  };
}

function compilePlan<P, R>(database: Database, build: Build<P, R>): Plan {
  const compiled = build(database.db, (key) => `${sentinelPrefix}${key}` as never, database.name).compile();
  if (compiled.sql.includes(sentinelPrefix)) throw new Error('a prepared statement used a parameter outside a value position');
  const slots = compiled.parameters.map((value): Slot => {
    if (typeof value === 'string' && value.startsWith(sentinelPrefix)) return { name: value.slice(sentinelPrefix.length) };
    return { value };
  });
  return { sql: compiled.sql, slots };
}
