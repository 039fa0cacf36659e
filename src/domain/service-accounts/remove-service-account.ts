import { deleteUserToken } from '../../storage/queries/api-tokens.js';
import { deleteUserMemberships } from '../../storage/queries/group-members.js';
import { deleteGrantsTo } from '../../storage/queries/project-access.js';
import { projectsOwnedBy } from '../../storage/queries/projects.js';
import { updateUser } from '../../storage/queries/users.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotManageServiceAccount } from '../access/policies/service-account-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { revokeOidcAccess } from '../oidc/revoke-oidc-access.js';
import { reloadActor } from '../people/load-person.js';
import { loadManageableServiceAccount } from './load-service-account.js';

/**
 * `DELETE /service-accounts/:id` (docs/product/service-accounts.md#deletion; R4, R5): refused while it owns projects
 * (409 `user_owns_projects` listing them). Otherwise, in one transaction: its token, project access and group
 * memberships go, the row stays as `removed` for the audit log, and the name is free again. The `owners` lock keeps
 * project transfers to it out while it goes (as for people).
 */
export async function removeServiceAccount(ctx: OperationContext, id: string): Promise<void> {
  const actor = callerSubject(ctx);
  await recordDenials(ctx, { action: 'service_account.removed', target: { type: 'service_account', id, name: null } }, () =>
    ctx.database.transact(async (trx) => {
      await ctx.database.lock(trx, 'owners');
      const fresh = await reloadActor(trx, actor);
      const target = await loadManageableServiceAccount(trx, id);
      assertAllowed(whyCannotManageServiceAccount(fresh, target.subject, 'remove'));
      const projects = await projectsOwnedBy(trx, id);
      if (projects.length > 0) {
        const names = projects.map((p) => `"${p.name}"`).join(', ');
        throw new DomainError('user_owns_projects', `${target.row.username} owns ${names}; transfer ownership first.`, { projects });
      }
      await updateUser(trx, id, { status: 'removed', removed_at: ctx.now().toISOString() });
      const revokedPrefix = await deleteUserToken(trx, id);
      const projectAccessRemoved = await deleteGrantsTo(trx, 'user', id);
      const groupMembershipsRemoved = await deleteUserMemberships(trx, id);
      // Nothing, today: a service account never signs in through the provider. Kept uniform with removing a person.
      await revokeOidcAccess(trx, id, 'service_account_removed');
      await recordAuditEvent(ctx, trx, {
        action: 'service_account.removed',
        target: { type: 'service_account', id, name: target.row.username },
        details: {
          name: target.row.username,
          role: target.row.role,
          tokenRevoked: revokedPrefix !== null,
          projectAccessRemoved,
          groupMembershipsRemoved,
        },
      });
    }),
  );
}
