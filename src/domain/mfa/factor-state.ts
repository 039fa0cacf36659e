import type { SecondFactor, SecondFactorMethod } from '../../shared/api/mfa.js';
import type { Executor } from '../../storage/database.js';
import { deleteRecoveryCodes, replaceRecoveryCodes } from '../../storage/queries/mfa-recovery-codes.js';
import { lockAccountForFactorChange, setMfaEnabled } from '../../storage/queries/users.js';
import { loadAccessSubject } from '../access/load-access-subject.js';
import { mfaRequiredOf } from '../access/policies/mfa-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { requireSecretKey } from '../secrets/require-secret-key.js';
import { mfaFeature, secondFactorKinds } from './factor-kinds.js';
import { newRecoveryCodes } from './recovery-codes.js';
import type { AcceptedFactor, FactorPurpose } from './second-factors.js';

/** Every login method the account can use now, in the order of the kinds. */
export async function secondFactorMethodsOf(db: Executor, userId: string): Promise<SecondFactorMethod[]> {
  const methods: SecondFactorMethod[] = [];
  for (const kind of secondFactorKinds) methods.push(...(await kind.methods(db, userId)));
  return methods;
}

/** Whether any kind that counts as a factor has one for the account. */
async function hasSecondFactor(db: Executor, userId: string): Promise<boolean> {
  for (const kind of secondFactorKinds) if (kind.countsAsFactor && (await kind.methods(db, userId)).length > 0) return true;
  return false;
}

/** The first kind that recognises the input, or null (wrong code, unknown key, nothing set up). */
export async function checkSecondFactor(
  ctx: OperationContext,
  userId: string,
  input: SecondFactor,
  purpose: FactorPurpose,
): Promise<AcceptedFactor | null> {
  for (const kind of secondFactorKinds) {
    const accepted = await kind.check(ctx, userId, input, purpose);
    if (accepted) return accepted;
  }
  return null;
}

/**
 * The start of a transaction that adds or removes a factor: locks the account's row (so concurrent changes see each
 * other) and says whether 2FA was on. Throws `unauthenticated` when the account is gone.
 */
export async function beginFactorChange(trx: Executor, userId: string): Promise<{ wasEnabled: boolean }> {
  if (!(await lockAccountForFactorChange(trx, userId))) throw new DomainError('unauthenticated');
  return { wasEnabled: await hasSecondFactor(trx, userId) };
}

export interface FactorChange {
  account: { id: string; username: string };
  wasEnabled: boolean;
  /** `totp`, `webauthn` …, and for the audit details a name the owner gave it, if any. */
  factor: { kind: string; name?: string };
  change: 'added' | 'removed';
}

/**
 * The end of a transaction that added or removed a factor: recomputes `users.mfa_enabled` and writes the one audit
 * event of the change — `mfa.enabled` / `mfa.disabled` when 2FA turns on or off, else `mfa.factor_added` /
 * `mfa.factor_removed`. Turning 2FA on makes the ten recovery codes (returned, to show once); turning it off deletes
 * them, and is refused (403 `forbidden`) while the policy requires 2FA of the person.
 */
export async function finishFactorChange(ctx: OperationContext, trx: Executor, change: FactorChange): Promise<{ recoveryCodes: string[] }> {
  const enabled = await hasSecondFactor(trx, change.account.id);
  let recoveryCodes: string[] = [];
  const target = { type: 'user' as const, id: change.account.id, name: change.account.username };
  const details = { factor: change.factor.kind, ...(change.factor.name ? { name: change.factor.name } : {}) };
  if (change.wasEnabled && !enabled) {
    const subject = await loadAccessSubject(trx, change.account.id);
    if (subject && mfaRequiredOf(subject)) {
      throw new DomainError(
        'forbidden',
        'The security policy requires two-factor authentication of you: add another factor before you remove this one.',
      );
    }
    await deleteRecoveryCodes(trx, change.account.id);
  }
  if (!change.wasEnabled && enabled) {
    const codes = newRecoveryCodes(requireSecretKey(ctx, mfaFeature), change.account.id);
    await replaceRecoveryCodes(trx, change.account.id, codes.rows, ctx.now().toISOString());
    recoveryCodes = codes.shown;
  }
  if (change.wasEnabled !== enabled) await setMfaEnabled(trx, change.account.id, enabled);
  const action =
    change.wasEnabled === enabled
      ? change.change === 'added'
        ? 'mfa.factor_added'
        : 'mfa.factor_removed'
      : enabled
        ? 'mfa.enabled'
        : 'mfa.disabled';
  await recordAuditEvent(ctx, trx, { action, target, details });
  return { recoveryCodes };
}
