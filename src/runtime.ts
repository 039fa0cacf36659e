import type { Config } from './config/config.js';
import { createPasswordHasher } from './domain/auth/password-hasher.js';
import type { Services } from './domain/context.js';
import { openDatabase } from './storage/database.js';
import { migrateToLatest } from './storage/migrate.js';

/** Opens the database, applies pending migrations and wires the services every entry point shares. */
export async function openServices(config: Config, options: { migrate?: boolean; now?: () => Date } = {}): Promise<Services> {
  const database = openDatabase(config.database);
  try {
    if (options.migrate !== false) await migrateToLatest(database);
  } catch (error) {
    await database.destroy().catch(() => undefined);
    throw error;
  }
  return {
    database,
    config,
    hasher: createPasswordHasher(config.hashConcurrency, config.hashQueueLimit),
    now: options.now ?? (() => new Date()),
  };
}
