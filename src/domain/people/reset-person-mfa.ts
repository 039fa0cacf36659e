import type { MfaResetResponse } from '../../shared/api/mfa.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotManagePerson } from '../access/policies/people-policy.js';
import { callerSubject, type OperationContext } from '../context.js';
import { removeAllFactors } from '../mfa/remove-all-factors.js';
import { loadManageablePerson, reloadActor } from './load-person.js';

/**
 * `POST /people/:id/mfa-reset` (docs/product/security-settings.md#two-factor-authentication, R2): **Reset two-factor
 * authentication** for someone who lost their phone — or to evict an intruder who registered a factor. Removes every
 * factor, ends their sessions, and restarts their grace period.
 */
export async function resetPersonMfa(ctx: OperationContext, targetId: string): Promise<MfaResetResponse> {
  const actor = callerSubject(ctx);
  return recordDenials(ctx, { action: 'mfa.reset', target: { type: 'user', id: targetId, name: null } }, () =>
    ctx.database.transact(async (trx) => {
      const fresh = await reloadActor(trx, actor);
      const target = await loadManageablePerson(trx, targetId);
      assertAllowed(whyCannotManagePerson(fresh, target.subject, 'resetMfa'));
      return removeAllFactors(ctx, trx, { id: targetId, username: target.row.username });
    }),
  );
}
