import { sql } from 'kysely';
import { loadConfig } from '../../src/config/config.js';
import { recordAuditEvent } from '../../src/domain/audit/record-audit-event.js';
import { type OperationContext, offlineRequest, type Services } from '../../src/domain/context.js';
import { openServices } from '../../src/runtime.js';
import type { Database } from '../../src/storage/database.js';
import { createTestDatabase, type TestDatabase, type TestDialect } from './databases.js';

/**
 * What someone with file or owner access to the database can do to the audit log
 * (docs/product/audit-log.md#append-only): drop the append-only triggers, then delete, reorder or cut events, and even
 * rewind the chain's head record. Tests use these to show that `verify` (domain, API, CLI) and `--expect-head` notice.
 */

export interface ChainDatabase {
  test: TestDatabase;
  services: Services;
  context(): OperationContext;
  close(): Promise<void>;
}

/** A fresh, migrated database with services (no HTTP app), for tests that tamper with the log. */
export async function openChainDatabase(dialect: TestDialect): Promise<ChainDatabase> {
  const test = await createTestDatabase(dialect, { migrated: true });
  const services = await openServices({ ...loadConfig({ ROSTER_LOG_LEVEL: 'warn' }), database: test.config });
  return {
    test,
    services,
    context: () => ({ ...services, caller: { kind: 'cli' }, request: offlineRequest('cli') }),
    async close() {
      await services.database.destroy();
      await test.drop();
    },
  };
}

/** Appends `count` events through the real writer, one transaction each (or all in one, which is faster). */
export async function appendTestEvents(ctx: OperationContext, count: number, options: { oneTransaction?: boolean } = {}): Promise<void> {
  const write = (trx: Parameters<typeof recordAuditEvent>[1], i: number) =>
    recordAuditEvent(ctx, trx, { action: 'test.event', target: { type: 'instance', id: null, name: `event ${i}` }, details: { i } });
  if (options.oneTransaction) {
    await ctx.database.transact(async (trx) => {
      for (let i = 0; i < count; i++) await write(trx, i);
    });
    return;
  }
  for (let i = 0; i < count; i++) await ctx.database.transact((trx) => write(trx, i));
}

/** Drops every append-only trigger of the audit tables, as an attacker with database access would. */
export async function dropAppendOnlyTriggers(database: Database): Promise<void> {
  const db = database.db;
  if (database.name === 'sqlite') {
    for (const name of ['audit_events_no_update', 'audit_events_no_delete', 'audit_chain_no_delete', 'audit_chain_forward_only']) {
      await sql`DROP TRIGGER IF EXISTS ${sql.id(name)}`.execute(db);
    }
    return;
  }
  await sql`DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events`.execute(db);
  await sql`DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events`.execute(db);
  const chainTable = await sql<{ name: string | null }>`SELECT to_regclass('audit_chain')::text AS name`.execute(db);
  if (chainTable.rows[0]?.name) {
    await sql`DROP TRIGGER IF EXISTS audit_chain_forward_only ON audit_chain`.execute(db);
    await sql`DROP TRIGGER IF EXISTS audit_chain_no_truncate ON audit_chain`.execute(db);
  }
}

export async function eventSeqs(database: Database): Promise<number[]> {
  const rows = await database.db.selectFrom('audit_events').select('seq').orderBy('seq').execute();
  return rows.map((row) => Number(row.seq));
}

/** Deletes the events with these sequence numbers (triggers must be gone). */
export async function deleteEvents(database: Database, seqs: readonly number[]): Promise<void> {
  await database.db
    .deleteFrom('audit_events')
    .where('seq', 'in', [...seqs])
    .execute();
}

/** Swaps the contents of two events, so that they appear in the other order (triggers must be gone). */
export async function swapEvents(database: Database, seqA: number, seqB: number): Promise<void> {
  const db = database.db;
  const read = (seq: number) => db.selectFrom('audit_events').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
  const [a, b] = [await read(seqA), await read(seqB)];
  const { seq: _a, ...aFields } = a;
  const { seq: _b, ...bFields } = b;
  await db
    .updateTable('audit_events')
    .set({ id: `${a.id}-moving` })
    .where('seq', '=', seqA)
    .execute();
  await db.updateTable('audit_events').set(aFields).where('seq', '=', seqB).execute();
  await db.updateTable('audit_events').set(bFields).where('seq', '=', seqA).execute();
}

/** Makes the chain's head record point at the last event left, as a careful attacker would after cutting the tail. */
export async function rewindHeadRecord(database: Database): Promise<void> {
  const last = await database.db
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  await sql`UPDATE audit_chain SET head_seq = ${Number(last.seq)}, head_hash = ${last.hash}`.execute(database.db);
}
