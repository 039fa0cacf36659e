import type { AuditVerification } from './api/audit.js';

// Shared by the console and the CLI; no runtime imports, so the console bundle stays free of the schema library.
/** One sentence on where and how the chain breaks, for people (console, CLI). */
export function explainChainBreak(result: Pick<AuditVerification, 'brokenAt' | 'head'>): string {
  const broken = result.brokenAt;
  if (!broken) return 'The chain is intact.';
  const event = `event #${broken.seq}${broken.id ? ` (${broken.id}, ${broken.at})` : ''}`;
  const lastGood = result.head ? `#${result.head.seq}` : 'the start';
  switch (broken.reason) {
    case 'sequence_gap':
      return `${event} does not follow the event before it: an event before it was deleted or moved.`;
    case 'link_mismatch':
      return `${event} is not linked to the event before it: events were deleted, inserted or reordered.`;
    case 'hash_mismatch':
      return `${event} was changed after it was written.`;
    case 'head_mismatch':
      return `${event} is not the newest event the chain's head record names: the newest events were replaced.`;
    case 'tail_missing':
      return `The log ends at ${lastGood}, but the chain's head record says it goes on: the newest events were cut from #${broken.seq} on.`;
    case 'after_head':
      return `${event} lies past the chain's head record: it was not written by Roster.`;
    case 'expected_head_mismatch':
      return `${event} has another hash than the expected head: the log was rewritten from there on or before.`;
    case 'expected_head_missing':
      return `The expected head #${broken.seq} is not in the log${(result.head?.seq ?? 0) < broken.seq ? `, which ends at ${lastGood}` : ''}: events were cut.`;
  }
}
