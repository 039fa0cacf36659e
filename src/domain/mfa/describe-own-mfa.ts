import type { MfaStatusResponse } from '../../shared/api/mfa.js';
import { countUnusedRecoveryCodes } from '../../storage/queries/mfa-recovery-codes.js';
import { findTotp } from '../../storage/queries/mfa-totp.js';
import { mfaGraceEndsAt, mfaRequiredOf, mustSetUpMfa } from '../access/policies/mfa-policy.js';
import { callerSubject, type OperationContext } from '../context.js';
import { secondFactorMethodsOf } from './factor-state.js';

/** `GET /me/mfa`: the caller's second factors and what the policy asks of them. Never a seed or a code. */
export async function describeOwnMfa(ctx: OperationContext): Promise<MfaStatusResponse> {
  const subject = callerSubject(ctx);
  const { db } = ctx.database;
  const [methods, totp, recoveryCodesRemaining] = await Promise.all([
    secondFactorMethodsOf(db, subject.userId),
    findTotp(db, subject.userId),
    countUnusedRecoveryCodes(db, subject.userId),
  ]);
  const required = mfaRequiredOf(subject);
  return {
    enabled: subject.mfa?.enabled ?? false,
    methods,
    totp: totp ? { confirmed: totp.confirmed_at !== null, createdAt: totp.created_at } : null,
    recoveryCodesRemaining,
    policy: {
      required,
      setupRequired: mustSetUpMfa(subject, ctx.now()),
      deadline: required && !subject.mfa?.enabled ? (mfaGraceEndsAt(subject)?.toISOString() ?? null) : null,
    },
  };
}
