import type { ProjectRole } from '../../shared/permissions.js';
import type { Executor } from '../../storage/database.js';
import { findGroupName } from '../../storage/queries/groups.js';
import { deleteGrant, findGrantRole, insertGrant, updateGrantRole } from '../../storage/queries/project-access.js';
import { findActiveUser } from '../../storage/queries/users.js';
import type { SubjectType } from '../../storage/schema.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotGrantProjectRole, whyCannotManageProjectAccess } from '../access/policies/project-access-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { reloadActor } from '../people/load-person.js';
import { loadVisibleProject } from './project-views.js';

export interface AccessChange {
  projectId: string;
  subjectType: SubjectType;
  subjectId: string;
  /** The new project role, or null to take the grant away. */
  role: ProjectRole | null;
}

/**
 * Gives, changes or takes away a user's or group's project role (docs/product/console.md#projects). Needs
 * project.access.manage on the project, and R3: only roles whose permissions the actor holds there. One
 * `project.access_changed` event per change.
 */
export async function changeProjectAccess(
  ctx: OperationContext,
  change: AccessChange,
): Promise<{ role: ProjectRole | null; changed: boolean }> {
  const actor = callerSubject(ctx);
  return recordDenials(ctx, { action: 'project.access_changed', target: { type: 'project', id: change.projectId, name: null } }, () =>
    ctx.database.transact(async (trx) => {
      const fresh = await reloadActor(trx, actor);
      const { row, view } = await loadVisibleProject(trx, fresh, change.projectId);
      assertAllowed(whyCannotManageProjectAccess(fresh, view));
      if (change.role) assertAllowed(whyCannotGrantProjectRole(fresh, view, change.role));

      const subjectName = await subjectNameOf(trx, change.subjectType, change.subjectId);
      const grant = { projectId: change.projectId, subjectType: change.subjectType, subjectId: change.subjectId };
      const from = await findGrantRole(trx, grant);
      if (from === change.role) return { role: from, changed: false };
      if (change.role === null) await deleteGrant(trx, grant);
      else if (from !== null) await updateGrantRole(trx, grant, change.role);
      else await insertGrant(trx, grant, change.role, ctx.now().toISOString());
      await recordAuditEvent(ctx, trx, {
        action: 'project.access_changed',
        target: { type: 'project', id: row.id, name: row.name },
        details: { subjectType: change.subjectType, subjectId: change.subjectId, subjectName, from, to: change.role },
      });
      return { role: change.role, changed: true };
    }),
  );
}

async function subjectNameOf(trx: Executor, type: SubjectType, id: string): Promise<string> {
  if (type === 'user') {
    const user = await findActiveUser(trx, { kind: 'id', value: id });
    if (!user) throw new DomainError('not_found', 'No active person has this id.');
    return user.username;
  }
  const group = await findGroupName(trx, id);
  if (group === null) throw new DomainError('not_found', 'There is no such group.');
  return group;
}
