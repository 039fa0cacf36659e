import { deleteProjectGrants } from '../../storage/queries/project-access.js';
import { deleteProjectRow } from '../../storage/queries/projects.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotDeleteProject } from '../access/policies/project-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { reloadActor } from '../people/load-person.js';
import { loadVisibleProject } from './project-views.js';

/** `DELETE /projects/:id` (docs/product/console.md#projects): needs project.delete; every grant on the project goes with it. */
export async function deleteProject(ctx: OperationContext, id: string): Promise<void> {
  const actor = callerSubject(ctx);
  await recordDenials(ctx, { action: 'project.deleted', target: { type: 'project', id, name: null } }, () =>
    ctx.database.transact(async (trx) => {
      const fresh = await reloadActor(trx, actor);
      const { row, view } = await loadVisibleProject(trx, fresh, id);
      assertAllowed(whyCannotDeleteProject(fresh, view));
      const grantsRemoved = await deleteProjectGrants(trx, id);
      await deleteProjectRow(trx, id);
      await recordAuditEvent(ctx, trx, {
        action: 'project.deleted',
        target: { type: 'project', id, name: row.name },
        details: { name: row.name, ownerId: row.owner_id, grantsRemoved },
      });
    }),
  );
}
