import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { AuditVerification } from '../../shared/api/audit.js';
import type { Database } from '../../storage/database.js';
import { readChainHead } from '../../storage/queries/audit-chain.js';
import { auditEventsAfter, firstAuditEventAfter } from '../../storage/queries/audit-events.js';
import type { AuditEventRow } from '../../storage/schema.js';
import { callerSubject, type OperationContext } from '../context.js';
import { assertCanViewAuditLog } from './list-audit-events.js';
import { canonicalAuditJson, chainHash, genesisHash } from './record-audit-event.js';

/** A point of the chain: an event's number and hash (what the server log and `--expect-head` name). */
export type ChainHead = NonNullable<AuditVerification['head']>;

/**
 * Why verification stopped (docs/product/audit-log.md#verification):
 * - `sequence_gap`: the event's number is not the one after the previous event's (one was deleted or moved);
 * - `link_mismatch`: its `prev_hash` is not the previous event's hash (deleted, inserted or reordered);
 * - `hash_mismatch`: its hash does not match its content (changed);
 * - `head_mismatch`: the event the head record names has another hash (the tail was replaced);
 * - `tail_missing`: the log ends before the head record (the tail was cut);
 * - `after_head`: events past the head record (written around Roster);
 * - `expected_head_mismatch` / `expected_head_missing`: the head given by `--expect-head` has another hash / is not
 *   in the log (cut, possibly with the head record rewound too).
 */
export type ChainBreak = NonNullable<AuditVerification['brokenAt']>['reason'];

/** `checked` counts events up to and including the first broken one; `head` is the last event that verified. */
export type ChainVerification = AuditVerification;

export interface VerifyOptions {
  /** A head recorded earlier (server log, metric, an earlier verify): it must still be in the chain, unchanged. */
  expectHead?: ChainHead;
}

/**
 * Rows per slice. Reading and hashing this many takes a few milliseconds; between slices the event loop runs other
 * requests, because on SQLite every read blocks the thread (better-sqlite3 is synchronous;
 * docs/product/security-settings.md#bounded-work).
 */
export const verifySliceSize = 500;

/**
 * Recomputes the hash chain from the first event, slice by slice (constant memory, bounded pauses), and reports the
 * first broken link: a changed, deleted, reordered or cut event (docs/product/audit-log.md).
 */
export async function verifyAuditChain(database: Database, options: VerifyOptions = {}): Promise<ChainVerification> {
  const { expectHead } = options;
  // The head before the walk: the log must reach it. Events appended meanwhile are checked too.
  const start = await readChainHead(database.db);
  let previous: ChainHead | null = null;
  let checked = 0;
  let sawExpected = false;
  for (;;) {
    const rows: AuditEventRow[] = await auditEventsAfter(database.db, previous?.seq ?? -1, verifySliceSize);
    for (const row of rows) {
      checked++;
      const seq = Number(row.seq);
      const reason = checkEvent(row, seq, previous, start.epochStartSeq);
      const broken = (why: ChainBreak): ChainVerification => ({
        valid: false,
        checked,
        brokenAt: { id: row.id, seq, at: row.at, reason: why },
        head: previous,
      });
      if (reason) return broken(reason);
      if (seq === start.seq && row.hash !== start.hash) return broken('head_mismatch');
      if (expectHead && seq === expectHead.seq) {
        if (row.hash !== expectHead.hash) return broken('expected_head_mismatch');
        sawExpected = true;
      }
      previous = { seq, hash: row.hash };
    }
    if (rows.length < verifySliceSize) break;
    await yieldToEventLoop();
  }

  const missing = (seq: number, reason: ChainBreak): ChainVerification => ({
    valid: false,
    checked,
    brokenAt: { id: null, seq, at: null, reason },
    head: previous,
  });
  const last = previous?.seq ?? 0;
  if (last < start.seq) return missing(last + 1, 'tail_missing');
  if (expectHead && !sawExpected) return missing(expectHead.seq, 'expected_head_missing');
  // Read after the walk: an event appended meanwhile moved the head in its own transaction, so anything the walk saw
  // beyond this head was not written by Roster.
  const end = await readChainHead(database.db);
  if (last > end.seq) {
    const intruder = await firstAuditEventAfter(database.db, end.seq);
    if (!intruder) throw new Error('The audit log changed during verification.');
    return {
      valid: false,
      checked,
      brokenAt: { id: intruder.id, seq: Number(intruder.seq), at: intruder.at, reason: 'after_head' },
      head: previous,
    };
  }
  return { valid: true, checked, brokenAt: null, head: previous };
}

/** `POST /audit/verify`: the chain check for a caller who may read the audit log. */
export async function verifyAuditLog(ctx: OperationContext): Promise<ChainVerification> {
  assertCanViewAuditLog(callerSubject(ctx));
  return verifyAuditChain(ctx.database);
}

/**
 * One event against the one before it. Events before `epochStartSeq` were written before migration 0005: their
 * numbers may have holes and their hashes do not cover them. From `epochStartSeq` on, numbers follow without a gap,
 * starting exactly there, right after the last event of the old epoch.
 */
function checkEvent(row: AuditEventRow, seq: number, previous: ChainHead | null, epochStartSeq: number): ChainBreak | null {
  const inEpoch = seq >= epochStartSeq;
  if (inEpoch) {
    const expected = previous && previous.seq >= epochStartSeq ? previous.seq + 1 : epochStartSeq;
    const boundaryIntact = previous === null || previous.seq >= epochStartSeq || previous.seq === epochStartSeq - 1;
    if (seq !== expected || !boundaryIntact) return 'sequence_gap';
  }
  const previousHash = previous?.hash ?? genesisHash;
  if (row.prev_hash !== previousHash) return 'link_mismatch';
  const { hash, prev_hash: _prev, seq: _seq, ...fields } = row;
  if (chainHash(previousHash, canonicalAuditJson(fields, inEpoch ? seq : null)) !== hash) return 'hash_mismatch';
  return null;
}
