import { sql } from 'kysely';
import type { Database, Executor } from '../database.js';

/** The chain's head record (migration 0005): where it ends and where the sequence epoch began. */
export interface ChainHeadRecord {
  /** `seq` of the newest event; 0 while the log is empty. */
  seq: number;
  /** `hash` of the newest event; the genesis hash while the log is empty. */
  hash: string;
  /** The first `seq` whose hash covers it (docs/product/audit-log.md#hash-chain: existing chains continue as a new epoch). */
  epochStartSeq: number;
}

export async function readChainHead(db: Executor): Promise<ChainHeadRecord> {
  const row = await db
    .selectFrom('audit_chain')
    .select(['head_seq', 'head_hash', 'epoch_start_seq'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow(() => new Error('The audit chain has no head record (migration 0005 missing).'));
  return { seq: Number(row.head_seq), hash: row.head_hash, epochStartSeq: Number(row.epoch_start_seq) };
}

/** Moves the head to the event just appended; inside the appending transaction, under the `audit_chain` lock. */
export async function advanceChainHead(trx: Executor, seq: number, hash: string): Promise<void> {
  await trx.updateTable('audit_chain').set({ head_seq: seq, head_hash: hash }).where('id', '=', 1).execute();
}

/** The events with these numbers (the head lines of the server log name them). */
export async function eventHashesAt(db: Executor, seqs: readonly number[]): Promise<Array<{ seq: number; hash: string }>> {
  if (seqs.length === 0) return [];
  const rows = await db
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .where('seq', 'in', [...seqs])
    .orderBy('seq')
    .execute();
  return rows.map((row) => ({ seq: Number(row.seq), hash: row.hash }));
}

/** The triggers that keep the audit log append-only and its head moving forward (migrations 0001 and 0005). */
export const appendOnlyTriggers = {
  sqlite: ['audit_events_no_update', 'audit_events_no_delete', 'audit_chain_forward_only', 'audit_chain_no_delete'],
  postgres: ['audit_events_no_change', 'audit_events_no_truncate', 'audit_chain_forward_only', 'audit_chain_no_truncate'],
} as const;

/**
 * Append-only triggers that are missing or disabled (`roster doctor`, docs/product/audit-log.md#append-only). Someone
 * with file or owner access can drop them; the hash chain still shows what was changed after that, but an operator
 * should know at once.
 */
export async function missingAppendOnlyTriggers(database: Database): Promise<string[]> {
  const expected = appendOnlyTriggers[database.name];
  let present: string[];
  if (database.name === 'sqlite') {
    const rows = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'trigger'`.execute(database.db);
    present = rows.rows.map((row) => row.name);
  } else {
    // A disabled trigger ('D') protects nothing; 'O', 'R' and 'A' fire in ordinary sessions.
    const rows = await sql<{ name: string }>`SELECT t.tgname AS name FROM pg_trigger t
      JOIN pg_class c ON c.oid = t.tgrelid
      WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal AND t.tgenabled <> 'D'`.execute(database.db);
    present = rows.rows.map((row) => row.name);
  }
  return expected.filter((name) => !present.includes(name));
}
