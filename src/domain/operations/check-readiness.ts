import { sql } from 'kysely';
import { pendingMigrations } from '../../storage/migrate.js';
import type { Services } from '../context.js';

export type Readiness = { ready: true } | { ready: false; detail: string };

/** Whether this node can serve requests (`/readyz`, docs/product/running.md#health-and-metrics): the database answers and has every migration. */
export async function checkReadiness(services: Pick<Services, 'database'>): Promise<Readiness> {
  try {
    await sql`SELECT 1`.execute(services.database.db);
    const pending = await pendingMigrations(services.database);
    if (pending.length > 0) return { ready: false, detail: `pending migrations: ${pending.join(', ')}` };
    return { ready: true };
  } catch {
    return { ready: false, detail: 'database unreachable' };
  }
}
