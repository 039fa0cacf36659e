import type { Executor } from '../../storage/database.js';
import { deleteRecoveryCodes, spendRecoveryCode, unusedRecoveryCodes } from '../../storage/queries/mfa-recovery-codes.js';
import { acceptTotpStep, deleteTotp, findTotp } from '../../storage/queries/mfa-totp.js';
import { totpSecretColumn } from '../../storage/secrets/encrypted-columns.js';
import { requireSecretKey } from '../secrets/require-secret-key.js';
import { findRecoveryCode, parseRecoveryCode } from './recovery-codes.js';
import type { SecondFactorKind } from './second-factors.js';
import { matchTotpStep } from './totp.js';
import { webAuthnFactor } from './webauthn-factor.js';

/** The feature name in `secret_key_missing` messages. */
export const mfaFeature = 'Two-factor authentication';

/** Decrypts an account's TOTP seed (the row id in the additional data is the account id). */
export function openTotpSecret(ctx: Parameters<typeof requireSecretKey>[0], userId: string, stored: string): string {
  return requireSecretKey(ctx, mfaFeature).decryptText({ ...totpSecretField, rowId: userId }, stored);
}

export const totpSecretField = { table: totpSecretColumn.table, column: totpSecretColumn.column } as const;

/** An authenticator app: a 6-digit code of the current step or one step either side, newer than the last accepted. */
export const totpFactor: SecondFactorKind = {
  name: 'totp',
  countsAsFactor: true,
  async methods(db, userId) {
    const totp = await findTotp(db, userId);
    return totp?.confirmed_at ? ['totp'] : [];
  },
  async check(ctx, userId, input) {
    if (!('code' in input) || !/^\s*\d{3}\s?\d{3}\s*$/.test(input.code)) return null;
    const totp = await findTotp(ctx.database.db, userId);
    if (!totp?.confirmed_at) return null;
    const step = matchTotpStep(openTotpSecret(ctx, userId, totp.secret), input.code.replace(/\s/g, ''), ctx.now());
    if (step === null || (totp.last_used_step !== null && step <= Number(totp.last_used_step))) return null;
    return { method: 'totp', accept: (trx: Executor) => acceptTotpStep(trx, userId, step, null) };
  },
  async removeAll(trx, userId) {
    const confirmed = (await findTotp(trx, userId))?.confirmed_at ?? null;
    await deleteTotp(trx, userId);
    return confirmed === null ? 0 : 1;
  },
};

/** One of the ten recovery codes, each accepted once. */
export const recoveryCodeFactor: SecondFactorKind = {
  name: 'recovery_codes',
  countsAsFactor: false,
  async methods(db, userId) {
    return (await unusedRecoveryCodes(db, userId)).length > 0 ? ['recovery_code'] : [];
  },
  async check(ctx, userId, input) {
    if (!('code' in input)) return null;
    const code = parseRecoveryCode(input.code);
    if (code === null) return null;
    const rows = await unusedRecoveryCodes(ctx.database.db, userId);
    if (rows.length === 0) return null;
    const row = findRecoveryCode(requireSecretKey(ctx, mfaFeature), userId, code, rows);
    if (!row) return null;
    const at = ctx.now().toISOString();
    return { method: 'recovery_code', accept: (trx: Executor) => spendRecoveryCode(trx, row.id, at) };
  },
  async removeAll(trx, userId) {
    await deleteRecoveryCodes(trx, userId);
    return 0;
  },
};

/**
 * Every kind of second factor, in the order a code or assertion is offered to them; nothing else in the flows names a
 * kind.
 */
export const secondFactorKinds: readonly SecondFactorKind[] = [totpFactor, recoveryCodeFactor, webAuthnFactor];
