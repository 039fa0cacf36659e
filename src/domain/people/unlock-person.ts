import type { PersonDetail } from '../../shared/api/people.js';
import { clearLockout } from '../../storage/queries/users.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotManagePerson } from '../access/policies/people-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { isLocked } from '../auth/lockout.js';
import { callerSubject, type OperationContext } from '../context.js';
import { describePerson } from './get-person.js';
import { loadManageablePerson, reloadActor } from './load-person.js';

/** `POST /people/:id/unlock` (docs/product/security-settings.md#login-throttling, R2): clears the failed-login counter and any lock. */
export async function unlockPerson(ctx: OperationContext, targetId: string): Promise<PersonDetail> {
  const actor = callerSubject(ctx);
  await recordDenials(ctx, { action: 'user.unlocked', target: { type: 'user', id: targetId, name: null } }, () =>
    ctx.database.transact(async (trx) => {
      const fresh = await reloadActor(trx, actor);
      const target = await loadManageablePerson(trx, targetId);
      assertAllowed(whyCannotManagePerson(fresh, target.subject, 'unlock'));
      await clearLockout(trx, targetId);
      await recordAuditEvent(ctx, trx, {
        action: 'user.unlocked',
        target: { type: 'user', id: targetId, name: target.row.username },
        details: { wasLocked: isLocked(target.row.locked_until, ctx.now()), failedLogins: target.row.failed_login_count },
      });
    }),
  );
  return describePerson(ctx.database.db, actor, targetId, ctx.now());
}
