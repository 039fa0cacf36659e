import type { Config } from './config/config.js';
import { createPasswordHasher } from './domain/auth/password-hasher.js';
import type { Services } from './domain/context.js';
import { createSecurityCounters } from './domain/operations/security-counters.js';
import { openSecretStore } from './domain/secrets/open-secret-store.js';
import { ProviderDiscovery } from './domain/sso/provider-configuration.js';
import { openDatabase } from './storage/database.js';
import { migrateToLatest } from './storage/migrate.js';

/**
 * Opens the database, applies pending migrations, finds and checks the secret key (refusing a wrong one) and wires the
 * services every entry point shares. With `migrate: false` (backup, doctor) nothing is changed: the secret key is only
 * inspected, never created, and a wrong key is reported in `services.secrets.status` instead of thrown.
 */
export async function openServices(config: Config, options: { migrate?: boolean; now?: () => Date } = {}): Promise<Services> {
  const database = openDatabase(config.database);
  const now = options.now ?? (() => new Date());
  let secrets: Services['secrets'];
  try {
    if (options.migrate !== false) await migrateToLatest(database);
    secrets = await openSecretStore(config, database, { mode: options.migrate === false ? 'inspect' : 'start', now });
  } catch (error) {
    await database.destroy().catch(() => undefined);
    throw error;
  }
  const securityCounters = createSecurityCounters();
  return {
    database,
    config,
    hasher: createPasswordHasher(config.hashConcurrency, config.hashQueueLimit, () => securityCounters.rateLimited('hash_queue')),
    now,
    secrets,
    securityCounters,
    providerDiscovery: new ProviderDiscovery(now),
  };
}
