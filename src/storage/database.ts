import { SqliteAdapter } from 'kysely';
import type { DatabaseConfig } from '../config/config.js';
import type { Database, DialectName, Executor } from './dialects/driver.js';
import { openPostgres } from './dialects/postgres.js';
import { openSqlite } from './dialects/sqlite.js';

export type { Database, Executor } from './dialects/driver.js';

/** Opens the configured database. Migrations are applied separately (`migrateToLatest`). */
export function openDatabase(config: DatabaseConfig): Database {
  return config.kind === 'sqlite' ? openSqlite(config.file) : openPostgres(config.url);
}

/** Which database a query builder talks to, for the rare fragment the two write differently. */
export function dialectOf(db: Executor): DialectName {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}
