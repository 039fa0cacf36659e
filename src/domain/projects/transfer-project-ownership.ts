import type { Project } from '../../shared/api/projects.js';
import { updateProjectRow } from '../../storage/queries/projects.js';
import { findActiveUser } from '../../storage/queries/users.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotTransferProject } from '../access/policies/project-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { reloadActor } from '../people/load-person.js';
import { loadProject, loadVisibleProject, presentProject } from './project-views.js';

/**
 * `PUT /projects/:id/owner` (docs/product/console.md#projects): allowed to the current owner and to anyone holding
 * project.general_settings.manage on the project; the new owner must be an active user. The old owner keeps whatever
 * other access they had. Takes the `owners` lock so that a concurrent removal of the new owner cannot slip in (R4).
 */
export async function transferProjectOwnership(ctx: OperationContext, id: string, newOwnerId: string): Promise<Project> {
  const actor = callerSubject(ctx);
  await recordDenials(ctx, { action: 'project.owner_changed', target: { type: 'project', id, name: null } }, () =>
    ctx.database.transact(async (trx) => {
      await ctx.database.lock(trx, 'owners');
      const fresh = await reloadActor(trx, actor);
      const { row, view } = await loadVisibleProject(trx, fresh, id);
      assertAllowed(whyCannotTransferProject(fresh, view));
      const newOwner = await findActiveUser(trx, { kind: 'id', value: newOwnerId });
      if (!newOwner) {
        const message = 'The new owner must be an active person.';
        throw new DomainError('validation_failed', message, { errors: [{ field: '/userId', message }] });
      }
      if (newOwner.id === row.owner_id) return;
      await updateProjectRow(trx, id, { owner_id: newOwner.id });
      await recordAuditEvent(ctx, trx, {
        action: 'project.owner_changed',
        target: { type: 'project', id, name: row.name },
        details: { before: { id: row.owner_id, username: row.owner_username }, after: { id: newOwner.id, username: newOwner.username } },
      });
    }),
  );
  // Not loadVisibleProject: an owner who gave the project away may have no access left, yet sees the result.
  const found = await loadProject(ctx.database.db, id, actor);
  if (!found) throw new DomainError('not_found', 'The project was deleted in the meantime.');
  return presentProject(actor, found.row, found.view);
}
