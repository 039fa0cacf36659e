import type { Executor } from '../../storage/database.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { OperationContext } from '../context.js';

/** SPEC §5.3: five failures are free; the sixth locks for 1 minute, doubling per further failure up to 15. */
export const freeFailures = 5;
const maxLockMinutes = 15;
const failureMemoryMs = 12 * 3_600_000;

export function lockMinutesAfter(failures: number): number {
  return failures <= freeFailures ? 0 : Math.min(maxLockMinutes, 2 ** (failures - freeFailures - 1));
}

export function isLocked(lockedUntil: string | null, now: Date): boolean {
  return lockedUntil !== null && Date.parse(lockedUntil) > now.getTime();
}

/**
 * Counts one failed login atomically (the increment is a single UPDATE, so 50 parallel failures count 50) and locks
 * the account when the count passes the free failures. Writes `auth.login_failed` and, when a lock starts, `auth.locked`.
 */
export async function registerLoginFailure(ctx: OperationContext, user: { id: string; username: string }, reason: string): Promise<void> {
  const now = ctx.now();
  const forgetBefore = new Date(now.getTime() - failureMemoryMs).toISOString();
  await ctx.database.transact(async (trx: Executor) => {
    const counted = await trx
      .updateTable('users')
      .set((eb) => ({
        failed_login_count: eb
          .case()
          .when(eb.or([eb('last_failed_login_at', 'is', null), eb('last_failed_login_at', '<', forgetBefore)]))
          .then(1)
          .else(eb('failed_login_count', '+', 1))
          .end(),
        last_failed_login_at: now.toISOString(),
      }))
      .where('id', '=', user.id)
      .returning('failed_login_count')
      .executeTakeFirstOrThrow();
    const failures = Number(counted.failed_login_count);
    const target = { type: 'user' as const, id: user.id, name: user.username };
    const minutes = lockMinutesAfter(failures);
    if (minutes > 0) {
      const lockedUntil = new Date(now.getTime() + minutes * 60_000).toISOString();
      await trx.updateTable('users').set({ locked_until: lockedUntil }).where('id', '=', user.id).execute();
      await recordAuditEvent(ctx, trx, { action: 'auth.locked', target, outcome: 'failure', details: { failures, lockedUntil } });
    }
    await recordAuditEvent(ctx, trx, { action: 'auth.login_failed', target, outcome: 'failure', details: { reason, failures } });
  });
}
