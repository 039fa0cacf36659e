import type { Database } from '../../storage/database.js';
import { canonicalAuditJson, chainHash, genesisHash } from './record-audit-event.js';

export interface ChainVerification {
  valid: boolean;
  /** Events checked up to and including the first broken one. */
  checked: number;
  /** The first event whose stored hash or link does not match, or null. */
  brokenAt: { id: string; seq: number; at: string; reason: 'hash_mismatch' | 'link_mismatch' } | null;
}

const batchSize = 2000;

/** Recomputes the hash chain from the first event, in batches (constant memory), and reports the first broken link. */
export async function verifyAuditChain(database: Database): Promise<ChainVerification> {
  let previousHash = genesisHash;
  let checked = 0;
  let afterSeq = -1;
  for (;;) {
    const rows = await database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq', 'asc')
      .limit(batchSize)
      .execute();
    for (const row of rows) {
      checked++;
      const seq = Number(row.seq);
      if (row.prev_hash !== previousHash) {
        return { valid: false, checked, brokenAt: { id: row.id, seq, at: row.at, reason: 'link_mismatch' } };
      }
      const { hash, prev_hash: _prev, seq: _seq, ...fields } = row;
      if (chainHash(previousHash, canonicalAuditJson(fields)) !== hash) {
        return { valid: false, checked, brokenAt: { id: row.id, seq, at: row.at, reason: 'hash_mismatch' } };
      }
      previousHash = hash;
      afterSeq = seq;
    }
    if (rows.length < batchSize) return { valid: true, checked, brokenAt: null };
  }
}
