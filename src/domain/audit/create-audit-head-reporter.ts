import { eventHashesAt, readChainHead } from '../../storage/queries/audit-chain.js';
import type { Services } from '../context.js';

/** One line of the head log: a point of the chain that `roster audit verify --expect-head <seq>:<hash>` can check. */
export interface AuditHeadLine {
  seq: number;
  hash: string;
  /**
   * start, shutdown, every 1,000 events (`events`, plus `milestone` for each thousand passed between two looks),
   * hourly; `went_back` when the head is behind or different from the last one written (a restore, or a cut log).
   */
  reason: 'start' | 'shutdown' | 'events' | 'milestone' | 'hourly' | 'went_back';
}

export const headLogEveryEvents = 1000;
export const headLogEveryMs = 60 * 60 * 1000;
/** At most this many milestone lines per look (a million events between two looks a few seconds apart is not real). */
const maxMilestonesPerLook = 1000;

/**
 * Writes the chain head where the database cannot rewrite it: the server log (docs/product/audit-log.md#hash-chain).
 * Called at start, at shutdown and every few seconds; it writes a line when a thousand more events were appended since
 * the last line (and one for every multiple of 1,000 passed, so consecutive lines are never more than 1,000 events
 * apart) or an hour passed. Someone who later cuts the tail and rewinds the head record cannot remove these lines from
 * the log.
 */
export function createAuditHeadReporter(services: Pick<Services, 'database' | 'now'>, write: (line: AuditHeadLine) => void) {
  let last: { seq: number; hash: string; at: number } | null = null;
  return {
    async report(occasion: 'start' | 'shutdown' | 'tick'): Promise<void> {
      const db = services.database.db;
      const head = await readChainHead(db);
      const now = services.now().getTime();
      const crossed = last !== null && Math.floor(head.seq / headLogEveryEvents) > Math.floor(last.seq / headLogEveryEvents);
      if (last !== null && crossed) {
        const milestones: number[] = [];
        for (let m = (Math.floor(last.seq / headLogEveryEvents) + 1) * headLogEveryEvents; m < head.seq; m += headLogEveryEvents) {
          milestones.push(m);
        }
        for (const point of await eventHashesAt(db, milestones.slice(-maxMilestonesPerLook))) write({ ...point, reason: 'milestone' });
      }
      let reason: AuditHeadLine['reason'] | null = null;
      if (last !== null && (head.seq < last.seq || (head.seq === last.seq && head.hash !== last.hash))) reason = 'went_back';
      else if (occasion !== 'tick') reason = occasion;
      else if (last === null) reason = 'start';
      else if (crossed) reason = 'events';
      else if (now - last.at >= headLogEveryMs) reason = 'hourly';
      if (reason === null) return;
      write({ seq: head.seq, hash: head.hash, reason });
      last = { seq: head.seq, hash: head.hash, at: now };
    },
  };
}
