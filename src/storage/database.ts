import type { DatabaseConfig } from '../config/config.js';
import type { Database } from './dialects/driver.js';
import { openPostgres } from './dialects/postgres.js';
import { openSqlite } from './dialects/sqlite.js';

export type { Database, Executor } from './dialects/driver.js';

/** Opens the configured database. Migrations are applied separately (`migrateToLatest`). */
export function openDatabase(config: DatabaseConfig): Database {
  return config.kind === 'sqlite' ? openSqlite(config.file) : openPostgres(config.url);
}
