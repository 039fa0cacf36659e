import type { RecoveryCodesResponse } from '../../shared/api/mfa.js';
import { acceptTotpStep, findTotp } from '../../storage/queries/mfa-totp.js';
import { findActiveUser } from '../../storage/queries/users.js';
import { recordAuditFailure } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { openTotpSecret } from './factor-kinds.js';
import { beginFactorChange, finishFactorChange } from './factor-state.js';
import { matchTotpStep } from './totp.js';

/**
 * `POST /me/mfa/totp/confirm`: the first code from the app proves it holds the seed; the app becomes a factor (its step
 * is the first accepted one, so this code cannot be used again to log in). When this turns 2FA on, the answer carries
 * the ten recovery codes, shown once. A wrong code changes nothing (400 `invalid_second_factor`).
 */
export async function confirmTotpSetup(ctx: OperationContext, input: { code: string }): Promise<RecoveryCodesResponse> {
  const userId = callerSubject(ctx).userId;
  const { db } = ctx.database;
  const [account, totp] = await Promise.all([findActiveUser(db, { kind: 'id', value: userId }), findTotp(db, userId)]);
  if (!account) throw new DomainError('unauthenticated');
  if (!totp || totp.confirmed_at !== null) {
    throw new DomainError('conflict', 'There is no authenticator app setup to confirm: start one with POST /me/mfa/totp.');
  }
  const step = matchTotpStep(openTotpSecret(ctx, userId, totp.secret), input.code, ctx.now());
  const refuse = async (): Promise<never> => {
    await recordAuditFailure(ctx, {
      action: 'mfa.setup_failed',
      target: { type: 'user', id: account.id, name: account.username },
      details: { reason: 'wrong_code', factor: 'totp' },
    });
    throw new DomainError('invalid_second_factor');
  };
  if (step === null) return refuse();
  const result = await ctx.database.transact(async (trx) => {
    const { wasEnabled } = await beginFactorChange(trx, account.id);
    // The seed read above must still be the one on record: a second setup started meanwhile replaced it.
    const current = await findTotp(trx, account.id);
    if (current?.secret !== totp.secret || !(await acceptTotpStep(trx, account.id, step, { at: ctx.now().toISOString() }))) return null;
    return finishFactorChange(ctx, trx, { account, wasEnabled, factor: { kind: 'totp' }, change: 'added' });
  });
  if (!result) return refuse();
  return { recoveryCodes: result.recoveryCodes };
}
