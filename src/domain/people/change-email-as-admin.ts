import type { PersonDetail } from '../../shared/api/people.js';
import { emailUsedByOther, updateUser } from '../../storage/queries/users.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotManagePerson } from '../access/policies/people-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { revokeOidcAccess } from '../oidc/revoke-oidc-access.js';
import { describePerson } from './get-person.js';
import { parseEmail } from './identity.js';
import { loadManageablePerson, reloadActor } from './load-person.js';

/**
 * `PUT /people/:id/email` (docs/product/console.md#people, R2): an Owner or Admin corrects someone else's address. 409
 * `email_taken` when another active account uses it (compared case-insensitively). Sessions and token are kept; the
 * grants and tokens of the OpenID Connect provider are revoked (applications hold the old address).
 */
export async function changeEmailAsAdmin(ctx: OperationContext, targetId: string, input: string): Promise<PersonDetail> {
  const actor = callerSubject(ctx);
  const email = parseEmail(input);
  const taken = () => new DomainError('email_taken', 'Another account already uses this email address.');
  try {
    await recordDenials(ctx, { action: 'user.email_changed', target: { type: 'user', id: targetId, name: null } }, () =>
      ctx.database.transact(async (trx) => {
        const fresh = await reloadActor(trx, actor);
        const target = await loadManageablePerson(trx, targetId);
        assertAllowed(whyCannotManagePerson(fresh, target.subject, 'changeEmail'));
        if (target.row.email === email.display) return;
        if (await emailUsedByOther(trx, email.canonical, targetId)) throw taken();
        await updateUser(trx, targetId, { email: email.display, email_canonical: email.canonical });
        const oidcRevoked = await revokeOidcAccess(trx, targetId, 'email_changed');
        await recordAuditEvent(ctx, trx, {
          action: 'user.email_changed',
          target: { type: 'user', id: targetId, name: target.row.username },
          details: { from: target.row.email, to: email.display, byAdmin: true, oidcRevoked },
        });
      }),
    );
  } catch (error) {
    if (ctx.database.isUniqueViolation(error)) throw taken();
    throw error;
  }
  return describePerson(ctx.database.db, actor, targetId, ctx.now());
}
