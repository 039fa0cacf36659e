import type { SecondFactor } from '../../shared/api/mfa.js';
import { recordAuditEvent, recordAuditFailure } from '../audit/record-audit-event.js';
import { type LoginReservation, recordLoginFailure, releaseLoginAttempt, reserveLoginAttempt } from '../auth/lockout.js';
import type { OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { checkSecondFactor } from './factor-state.js';
import type { FactorPurpose } from './second-factors.js';

/**
 * A failed second factor: `auth.second_factor_failed` with the reason (never the code), and `auth.locked` when this
 * attempt's reservation started a lock, in one durable transaction.
 */
export async function recordSecondFactorFailure(
  ctx: OperationContext,
  account: { id: string; name: string },
  details: { reason: string; during?: string },
  reservation: LoginReservation | null,
): Promise<void> {
  const failures = reservation ? { failures: reservation.failures } : {};
  await recordLoginFailure(ctx, account, { ...details, ...failures }, reservation, 'auth.second_factor_failed');
}

/**
 * The second half of every sensitive self-service change (docs/product/security-settings.md#two-factor-authentication):
 * once the account has 2FA, the body's `secondFactor` is required (403 `mfa_required` without it) and must be right
 * (400 `invalid_second_factor`). A code counts against the account's login limit like a login's — reserved before it
 * is checked, so a burst of guesses through a step-up gets no more checks than through the login — and is spent: a TOTP
 * code or recovery code accepted here is not accepted again. Call it after the current password was checked.
 */
export async function proveSecondFactor(
  ctx: OperationContext,
  account: { id: string; username: string; mfaEnabled: boolean },
  secondFactor: SecondFactor | undefined,
  attemptedAction: string,
): Promise<void> {
  if (!account.mfaEnabled) return;
  const target = { type: 'user' as const, id: account.id, name: account.username };
  if (secondFactor === undefined) {
    await recordAuditFailure(ctx, { action: attemptedAction, target, details: { reason: 'missing_second_factor' } });
    throw new DomainError('mfa_required');
  }
  const failed = async (reason: string, reservation: LoginReservation | null): Promise<never> => {
    await recordSecondFactorFailure(ctx, { id: account.id, name: account.username }, { reason, during: attemptedAction }, reservation);
    throw new DomainError('invalid_second_factor');
  };
  const reservation = await reserveLoginAttempt(ctx, { kind: 'id', value: account.id });
  if (!reservation) return failed('locked', null);
  const purpose: FactorPurpose = { kind: 'step_up' };
  const factor = await checkSecondFactor(ctx, account.id, secondFactor, purpose).catch(async (error: unknown) => {
    await releaseLoginAttempt(ctx, reservation).catch(() => undefined);
    throw error;
  });
  if (!factor) return failed('wrong_code', reservation);
  const accepted = await ctx.database.transact(async (trx) => {
    if (!(await factor.accept(trx))) return false;
    if (factor.method === 'recovery_code') {
      await recordAuditEvent(ctx, trx, { action: 'auth.recovery_code_used', target, details: { during: attemptedAction } });
    }
    return true;
  });
  if (!accepted) return failed('code_already_used', reservation);
  // A right factor is not a failure; the account's earlier failures stay (only a complete login resets them).
  await releaseLoginAttempt(ctx, reservation);
}
