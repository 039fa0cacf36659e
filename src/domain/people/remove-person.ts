import { deleteUserToken } from '../../storage/queries/api-tokens.js';
import { deleteCredential } from '../../storage/queries/credentials.js';
import { deleteUserMemberships } from '../../storage/queries/group-members.js';
import { deleteGrantsTo } from '../../storage/queries/project-access.js';
import { projectsOwnedBy } from '../../storage/queries/projects.js';
import { serviceAccountsCreatedBy } from '../../storage/queries/service-accounts.js';
import { endUserSessions } from '../../storage/queries/sessions.js';
import { countActiveOwners, updateUser } from '../../storage/queries/users.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { lastOwnerReason, whyCannotRemovePerson, wouldRemoveLastOwner } from '../access/policies/people-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { revokeOidcAccess } from '../oidc/revoke-oidc-access.js';
import { loadManageablePerson, reloadActor } from './load-person.js';

/**
 * `DELETE /people/:id` (docs/product/console.md#people, R1, R2, R4, R5). Refused while the person owns projects (409
 * `user_owns_projects` listing them). Otherwise, in one transaction: the account becomes `removed`, and its sessions,
 * API token, password, project access, group memberships and every grant and token of the OpenID Connect provider go. Username and email become free; the audit event keeps
 * id and name. The `owners` lock is taken first: it guards R1 and keeps project transfers to this person out (R4).
 */
export async function removePerson(ctx: OperationContext, targetId: string): Promise<void> {
  const actor = callerSubject(ctx);
  await recordDenials(ctx, { action: 'user.removed', target: { type: 'user', id: targetId, name: null } }, () =>
    ctx.database.transact(async (trx) => {
      await ctx.database.lock(trx, 'owners');
      const fresh = await reloadActor(trx, actor);
      const target = await loadManageablePerson(trx, targetId);
      assertAllowed(whyCannotRemovePerson(fresh, target.subject));
      if (wouldRemoveLastOwner(target.subject, null, { activeOwners: await countActiveOwners(trx) })) {
        throw new DomainError('last_owner', lastOwnerReason);
      }
      const projects = await projectsOwnedBy(trx, targetId);
      if (projects.length > 0) {
        const names = projects.map((p) => `"${p.name}"`).join(', ');
        throw new DomainError('user_owns_projects', `${target.row.username} owns ${names}; transfer ownership first.`, { projects });
      }

      const now = ctx.now().toISOString();
      await updateUser(trx, targetId, { status: 'removed', removed_at: now });
      const sessionsEnded = await endUserSessions(trx, targetId);
      const oidcRevoked = await revokeOidcAccess(trx, targetId, 'person_removed');
      const revokedPrefix = await deleteUserToken(trx, targetId);
      await deleteCredential(trx, targetId);
      const projectAccessRemoved = await deleteGrantsTo(trx, 'user', targetId);
      const groupMembershipsRemoved = await deleteUserMemberships(trx, targetId);
      // Listed, never blocking: the service accounts they created keep working (docs/product/service-accounts.md).
      const createdServiceAccounts = await serviceAccountsCreatedBy(trx, targetId);
      await recordAuditEvent(ctx, trx, {
        action: 'user.removed',
        target: { type: 'user', id: targetId, name: target.row.username },
        details: {
          username: target.row.username,
          email: target.row.email,
          role: target.row.role,
          sessionsEnded,
          oidcRevoked,
          tokenRevoked: revokedPrefix !== null,
          projectAccessRemoved,
          groupMembershipsRemoved,
          createdServiceAccounts,
        },
      });
    }),
  );
}
