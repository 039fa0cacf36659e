import type { SecuritySettingsBody, SecuritySettingsResponse } from '../../shared/api/mfa.js';
import type { Executor } from '../../storage/database.js';
import { readSecuritySettings, writeSecuritySettings } from '../../storage/queries/security-settings.js';
import { can } from '../access/authorize.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';

/**
 * Settings → Security (docs/product/security-settings.md#two-factor-authentication): the 2FA policy and its grace
 * period. Reading and changing need `organization.security_settings.manage` (Owners).
 */
const permission = 'organization.security_settings.manage';
const refusal = `You need the ${permission} permission to see or change the security settings.`;

async function present(db: Executor): Promise<SecuritySettingsResponse> {
  const row = await readSecuritySettings(db);
  return { mfaPolicy: row.mfa_policy, mfaGraceDays: Number(row.mfa_grace_days), mfaPolicyChangedAt: row.mfa_policy_changed_at };
}

export async function getSecuritySettings(ctx: OperationContext): Promise<SecuritySettingsResponse> {
  assertAllowed(can(callerSubject(ctx), permission) ? null : refusal);
  return present(ctx.database.db);
}

/**
 * Changes the policy. A new policy value restarts every grace period now (`mfaPolicyChangedAt`); a new number of days
 * alone moves every deadline without restarting it. One `settings.security_changed` event with before and after.
 */
export async function updateSecuritySettings(ctx: OperationContext, input: SecuritySettingsBody): Promise<SecuritySettingsResponse> {
  const actor = callerSubject(ctx);
  return recordDenials(
    ctx,
    { action: 'settings.security_changed', target: { type: 'instance', id: 'security_settings', name: 'Security settings' } },
    () =>
      ctx.database.transact(async (trx) => {
        assertAllowed(can(actor, permission) ? null : refusal);
        const before = await present(trx);
        if (before.mfaPolicy === input.mfaPolicy && before.mfaGraceDays === input.mfaGraceDays) return before;
        const now = ctx.now().toISOString();
        await writeSecuritySettings(trx, {
          mfa_policy: input.mfaPolicy,
          mfa_grace_days: input.mfaGraceDays,
          mfa_policy_changed_at: before.mfaPolicy === input.mfaPolicy ? before.mfaPolicyChangedAt : now,
          updated_at: now,
        });
        const after = await present(trx);
        await recordAuditEvent(ctx, trx, {
          action: 'settings.security_changed',
          target: { type: 'instance', id: 'security_settings', name: 'Security settings' },
          details: { before, after },
        });
        return after;
      }),
  );
}
