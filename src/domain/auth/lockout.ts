import type { Executor } from '../../storage/database.js';
import { type AccountKey, addLoginFailure, recordCompleteLogin, takeBackLoginFailure } from '../../storage/queries/users.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { OperationContext } from '../context.js';
import type { LoginFailureReason } from '../operations/security-counters.js';

/**
 * docs/product/security-settings.md#login-throttling, per account: the 5th failure locks for 1 minute, each further
 * failure doubles the lock (2, 4, 8) up to 15 minutes; a complete login resets the count, and failures are forgotten 12
 * hours after the last one.
 */
export const failuresBeforeLock = 5;
const maxLockMinutes = 15;
const failureMemoryMs = 12 * 3_600_000;

export function lockMinutesAfter(failures: number): number {
  return failures < failuresBeforeLock ? 0 : Math.min(maxLockMinutes, 2 ** (failures - failuresBeforeLock));
}

export function isLocked(lockedUntil: string | null, now: Date): boolean {
  return lockedUntil !== null && Date.parse(lockedUntil) > now.getTime();
}

/** Which account an attempt is for: the login name as typed (canonical), or the id a pending login already knows. */
export type LoginAccountKey = AccountKey;

/** An attempt counted against an account before its secret is checked. */
export interface LoginReservation {
  userId: string;
  /** The account's failures, this attempt included. */
  failures: number;
  /** Set when this attempt started a lock (it was the 5th failure or a later one). */
  lockedUntil: string | null;
}

/**
 * Counts an attempt against an account BEFORE its secret is checked
 * (docs/product/security-settings.md#login-throttling), so that parallel attempts cannot all pass a lock that none of
 * them has written yet: one conditional UPDATE … RETURNING, which refuses while the account is locked and otherwise
 * adds one failure and starts the lock the new count calls for. The row is the account's own, so the count holds across
 * nodes. The attempt counts as a failure until `clearLoginFailures` (a complete login) resets it, or
 * `releaseLoginAttempt` gives it back when no secret was checked.
 *
 * Returns null when the attempt may not be checked: the account is locked, or no active account has that key (the
 * same statement runs for unknown names, so both cost the same). A second-factor step
 * (docs/product/security-settings.md#two-factor-authentication) calls this with `{ kind: 'id' }` before checking a
 * code, so codes count against the same limit.
 *
 * The commit does not wait for the disk (`flush: false`): this write precedes the attempt's durable audit event (or
 * its session), whose flushed commit carries it to disk before the answer leaves; waiting here too would make an
 * existing account's failed login a disk flush slower than an unknown name's, and timing would tell who exists.
 */
export async function reserveLoginAttempt(ctx: OperationContext, key: LoginAccountKey): Promise<LoginReservation | null> {
  const now = ctx.now();
  const lockEnd = (failures: number) => new Date(now.getTime() + lockMinutesAfter(failures) * 60_000).toISOString();
  // The count that reaches the cap; every count from there on locks for the cap.
  let capped = failuresBeforeLock;
  while (lockMinutesAfter(capped) < maxLockMinutes) capped++;
  const lockUntil = Array.from({ length: capped }, (_, failures) => (failures >= failuresBeforeLock ? lockEnd(failures) : null));
  const row = await ctx.database.transact(
    (trx) =>
      addLoginFailure(trx, key, {
        now: now.toISOString(),
        forgetBefore: new Date(now.getTime() - failureMemoryMs).toISOString(),
        lockUntil,
        cappedFrom: capped,
        cappedLockUntil: lockEnd(capped),
      }),
    { flush: false },
  );
  return row ? { userId: row.id, failures: Number(row.failed_login_count), lockedUntil: row.locked_until } : null;
}

/**
 * Gives back an attempt whose secret was never checked (the hashing queue was full): it neither counts as a failure
 * nor keeps the lock it started. Never below zero, whatever ran in between.
 */
export async function releaseLoginAttempt(ctx: OperationContext, reservation: LoginReservation): Promise<void> {
  await ctx.database.transact((trx) => takeBackLoginFailure(trx, reservation.userId, reservation.lockedUntil));
}

/**
 * A complete login (every factor passed, docs/product/security-settings.md#login-throttling) resets the account's
 * failures and lock, in the login's transaction.
 */
export async function clearLoginFailures(trx: Executor, userId: string, now: Date): Promise<void> {
  await recordCompleteLogin(trx, userId, now.toISOString());
}

/**
 * Writes the audit trail of a failed attempt in one (durable) transaction: `auth.login_failed` (for a second factor,
 * `auth.second_factor_failed`) with the real reason, and `auth.locked` when this attempt's reservation started a lock.
 * Refusals while locked and unknown names are recorded too: every failed login is in the audit log. Once written, the
 * failure is counted for /metrics (docs/product/running.md#health-and-metrics): one lockout for each `auth.locked`.
 */
export async function recordLoginFailure(
  ctx: OperationContext,
  account: { id: string | null; name: string },
  details: { reason: string; failures?: number; during?: string },
  reservation: LoginReservation | null,
  action: 'auth.login_failed' | 'auth.second_factor_failed' = 'auth.login_failed',
): Promise<void> {
  const target = { type: 'user' as const, id: account.id, name: account.name };
  await ctx.database.transact(async (trx) => {
    await recordAuditEvent(ctx, trx, { action, target, outcome: 'failure', details });
    if (reservation?.lockedUntil) {
      await recordAuditEvent(ctx, trx, {
        action: 'auth.locked',
        target,
        outcome: 'failure',
        details: { failures: reservation.failures, lockedUntil: reservation.lockedUntil },
      });
    }
  });
  if (action === 'auth.second_factor_failed') ctx.securityCounters.secondFactorFailed();
  else ctx.securityCounters.loginFailed(metricsReason(details.reason));
  if (reservation?.lockedUntil) ctx.securityCounters.lockoutStarted();
}

/**
 * The reason /metrics gives a failed password login (docs/decisions/0020): an unknown name and a wrong password are
 * one reason, so that the metrics cannot tell who has an account; the audit log keeps the real one.
 */
function metricsReason(auditReason: string): LoginFailureReason {
  if (auditReason === 'locked') return 'locked';
  if (auditReason.startsWith('temporary_password_')) return 'temporary_password';
  return 'bad_credentials';
}
