import { endUserSessions } from '../../storage/queries/sessions.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotManagePerson } from '../access/policies/people-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { revokeOidcAccess } from '../oidc/revoke-oidc-access.js';
import { loadManageablePerson, reloadActor } from './load-person.js';

/**
 * `DELETE /people/:id/sessions` (R2): signs the person out of every browser session and revokes what the OpenID Connect
 * provider issued to them (its sessions, grants and tokens); their API token is kept.
 */
export async function endPersonSessions(ctx: OperationContext, targetId: string): Promise<{ sessionsEnded: number }> {
  const actor = callerSubject(ctx);
  return recordDenials(ctx, { action: 'session.revoked', target: { type: 'user', id: targetId, name: null } }, () =>
    ctx.database.transact(async (trx) => {
      const fresh = await reloadActor(trx, actor);
      const target = await loadManageablePerson(trx, targetId);
      assertAllowed(whyCannotManagePerson(fresh, target.subject, 'endSessions'));
      const sessionsEnded = await endUserSessions(trx, targetId);
      const oidcRevoked = await revokeOidcAccess(trx, targetId, 'sessions_ended');
      await recordAuditEvent(ctx, trx, {
        action: 'session.revoked',
        target: { type: 'user', id: targetId, name: target.row.username },
        details: { sessionsEnded, oidcRevoked, all: true },
      });
      return { sessionsEnded };
    }),
  );
}
