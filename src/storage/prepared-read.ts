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

/**
 * Declares a prepared read. `name` must be unique (PostgreSQL keeps prepared statements by name per connection);
 * `build` receives `param(name)`, a placeholder to use wherever the query takes that input as a value, and the dialect,
 * for the rare fragment the two write differently (JSON aggregation).
 */
export function preparedRead<P extends Record<string, string | number | null>, R>(
  name: string,
  build: (db: Kysely<Schema>, param: <K extends keyof P & string>(key: K) => P[K], dialect: DialectName) => Compilable<R>,
): PreparedRead<P, R> {
  if (usedNames.has(name)) throw new Error(`prepared read "${name}" is declared twice`);
  usedNames.add(name);
  const plans = new WeakMap<Database, Plan>();

  return (database, params) => {
    let plan = plans.get(database);
    if (!plan) {
      plan = compilePlan(database, build);
      plans.set(database, plan);
    }
    const values = plan.slots.map((slot) => ('name' in slot ? params[slot.name] : slot.value));
    return database.readPrepared<R>(`roster_${name}`, plan.sql, values);
  };
}

function compilePlan<P, R>(
  database: Database,
  build: (db: Kysely<Schema>, param: <K extends keyof P & string>(key: K) => P[K], dialect: DialectName) => Compilable<R>,
): Plan {
  const compiled = build(database.db, (key) => `${sentinelPrefix}${key}` as never, database.name).compile();
  if (compiled.sql.includes(sentinelPrefix)) throw new Error('a prepared read used a parameter outside a value position');
  const slots = compiled.parameters.map((value): Slot => {
    if (typeof value === 'string' && value.startsWith(sentinelPrefix)) return { name: value.slice(sentinelPrefix.length) };
    return { value };
  });
  return { sql: compiled.sql, slots };
}
