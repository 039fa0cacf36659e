import { type AuditTarget, recordAuditFailure } from '../../audit/record-audit-event.js';
import type { OperationContext } from '../../context.js';
import { DomainError } from '../../errors.js';

/** Throws 403 `forbidden` carrying the policy's reason when a `why…` predicate refused. */
export function assertAllowed(reason: string | null): void {
  if (reason !== null) throw new DomainError('forbidden', reason);
}

/**
 * Runs a write and, when a policy refuses it (403 `forbidden`), records the denied attempt in its own transaction:
 * the refused transaction rolled back, but a refused write belongs in the audit log
 * (docs/product/audit-log.md#what-is-recorded).
 */
export async function recordDenials<T>(
  ctx: OperationContext,
  attempt: { action: string; target: AuditTarget },
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'forbidden') {
      await recordAuditFailure(ctx, {
        action: attempt.action,
        outcome: 'denied',
        target: attempt.target,
        details: { reason: error.message },
      });
    }
    throw error;
  }
}
