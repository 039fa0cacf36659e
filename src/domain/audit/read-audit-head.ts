import { readChainHead } from '../../storage/queries/audit-chain.js';
import type { Services } from '../context.js';

/** The sequence number and hash of the audit chain's newest event, as the head record names it (one row by key). */
export async function readAuditHead(services: Pick<Services, 'database'>): Promise<{ seq: number; hash: string }> {
  const { seq, hash } = await readChainHead(services.database.db);
  return { seq, hash };
}
