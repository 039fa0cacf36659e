import type { SecuritySettingsPatch, SecuritySettingsResponse } from '../../shared/api/mfa.js';
import type { Executor } from '../../storage/database.js';
import { pageOfIdentityProviders } from '../../storage/queries/identity-providers.js';
import { readSecuritySettings, writeSecuritySettings } from '../../storage/queries/security-settings.js';
import { can } from '../access/authorize.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';

/**
 * Settings → Security (docs/product/security-settings.md#two-factor-authentication): the 2FA policy and its grace
 * period. Reading and changing need `organization.security_settings.manage` (Owners).
 */
const permission = 'organization.security_settings.manage';
const refusal = `You need the ${permission} permission to see or change the security settings.`;

async function present(db: Executor): Promise<SecuritySettingsResponse> {
  const row = await readSecuritySettings(db);
  return {
    mfaPolicy: row.mfa_policy,
    mfaGraceDays: Number(row.mfa_grace_days),
    mfaPolicyChangedAt: row.mfa_policy_changed_at,
    requireSso: Number(row.require_sso) === 1,
  };
}

export async function getSecuritySettings(ctx: OperationContext): Promise<SecuritySettingsResponse> {
  assertAllowed(can(callerSubject(ctx), permission) ? null : refusal);
  return present(ctx.database.db);
}

/**
 * Changes the settings given (`PUT` gives both 2FA fields, `PATCH` any). A new policy value restarts every grace period
 * now (`mfaPolicyChangedAt`); a new number of days alone moves every deadline without restarting it. `requireSso`
 * cannot be turned on while no identity provider is registered (400 `validation_failed`: nobody but Owners could log
 * in). One `settings.security_changed` event with before and after.
 */
export async function updateSecuritySettings(ctx: OperationContext, change: SecuritySettingsPatch): Promise<SecuritySettingsResponse> {
  const actor = callerSubject(ctx);
  return recordDenials(
    ctx,
    { action: 'settings.security_changed', target: { type: 'instance', id: 'security_settings', name: 'Security settings' } },
    () =>
      ctx.database.transact(async (trx) => {
        assertAllowed(can(actor, permission) ? null : refusal);
        const before = await present(trx);
        const input = { ...before, ...definedOnly(change) };
        if (before.mfaPolicy === input.mfaPolicy && before.mfaGraceDays === input.mfaGraceDays && before.requireSso === input.requireSso) {
          return before;
        }
        if (input.requireSso && !before.requireSso && (await pageOfIdentityProviders(trx, null, 1)).length === 0) {
          const message = 'Register an identity provider before you require SSO: otherwise only Owners could log in.';
          throw new DomainError('validation_failed', message, { errors: [{ field: '/requireSso', message }] });
        }
        const now = ctx.now().toISOString();
        await writeSecuritySettings(trx, {
          mfa_policy: input.mfaPolicy,
          mfa_grace_days: input.mfaGraceDays,
          mfa_policy_changed_at: before.mfaPolicy === input.mfaPolicy ? before.mfaPolicyChangedAt : now,
          require_sso: input.requireSso ? 1 : 0,
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

function definedOnly(change: SecuritySettingsPatch): Partial<SecuritySettingsResponse> {
  return Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
}
