import type { ProjectRole } from '../../shared/permissions.js';
import type { SubjectType } from '../../storage/schema.js';
import type { AccessSubject } from '../access/authorize.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotGrantProjectRole, whyCannotManageProjectAccess } from '../access/policies/project-access-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { OperationContext } from '../context.js';
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
 * Gives, changes or takes away a user's or group's project role (SPEC §4.5). Needs project.access.manage on the project,
 * and R3: only roles whose permissions the actor holds there. One `project.access_changed` event per change.
 */
export async function changeProjectAccess(
  ctx: OperationContext,
  actor: AccessSubject,
  change: AccessChange,
): Promise<{ role: ProjectRole | null; changed: boolean }> {
  return recordDenials(ctx, { action: 'project.access_changed', target: { type: 'project', id: change.projectId, name: null } }, () =>
    ctx.database.transact(async (trx) => {
      const fresh = await reloadActor(trx, actor);
      const { row, view } = await loadVisibleProject(trx, fresh, change.projectId);
      assertAllowed(whyCannotManageProjectAccess(fresh, view));
      if (change.role) assertAllowed(whyCannotGrantProjectRole(fresh, view, change.role));

      const subjectName = await subjectNameOf(trx, change.subjectType, change.subjectId);
      const existing = await trx
        .selectFrom('project_access')
        .select('role')
        .where('project_id', '=', change.projectId)
        .where('subject_type', '=', change.subjectType)
        .where('subject_id', '=', change.subjectId)
        .executeTakeFirst();
      const from = existing?.role ?? null;
      if (from === change.role) return { role: from, changed: false };
      if (change.role === null) {
        await trx
          .deleteFrom('project_access')
          .where('project_id', '=', change.projectId)
          .where('subject_type', '=', change.subjectType)
          .where('subject_id', '=', change.subjectId)
          .execute();
      } else if (existing) {
        await trx
          .updateTable('project_access')
          .set({ role: change.role })
          .where('project_id', '=', change.projectId)
          .where('subject_type', '=', change.subjectType)
          .where('subject_id', '=', change.subjectId)
          .execute();
      } else {
        await trx
          .insertInto('project_access')
          .values({
            project_id: change.projectId,
            subject_type: change.subjectType,
            subject_id: change.subjectId,
            role: change.role,
            created_at: ctx.now().toISOString(),
          })
          .execute();
      }
      await recordAuditEvent(ctx, trx, {
        action: 'project.access_changed',
        target: { type: 'project', id: row.id, name: row.name },
        details: { subjectType: change.subjectType, subjectId: change.subjectId, subjectName, from, to: change.role },
      });
      return { role: change.role, changed: true };
    }),
  );
}

async function subjectNameOf(trx: Parameters<typeof loadVisibleProject>[0], type: SubjectType, id: string): Promise<string> {
  if (type === 'user') {
    const user = await trx.selectFrom('users').select('username').where('id', '=', id).where('status', '=', 'active').executeTakeFirst();
    if (!user) throw new DomainError('not_found', 'No active person has this id.');
    return user.username;
  }
  const group = await trx.selectFrom('groups').select('name').where('id', '=', id).executeTakeFirst();
  if (!group) throw new DomainError('not_found', 'There is no such group.');
  return group.name;
}
