import type { Project, UpdateProjectBody } from '../../shared/api/projects.js';
import { projectNameTaken, updateProjectRow } from '../../storage/queries/projects.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotUpdateProject } from '../access/policies/project-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { reloadActor } from '../people/load-person.js';
import { loadVisibleProject, nameTaken, parseProjectName, presentProject } from './project-views.js';

/** `PATCH /projects/:id` (docs/product/console.md#projects): rename or describe; needs project.general_settings.manage on the project. */
export async function updateProject(ctx: OperationContext, id: string, body: UpdateProjectBody): Promise<Project> {
  const actor = callerSubject(ctx);
  const name = body.name === undefined ? undefined : parseProjectName(body.name);
  const description = body.description?.trim();
  try {
    await recordDenials(ctx, { action: 'project.updated', target: { type: 'project', id, name: null } }, () =>
      ctx.database.transact(async (trx) => {
        const fresh = await reloadActor(trx, actor);
        const { row, view } = await loadVisibleProject(trx, fresh, id);
        assertAllowed(whyCannotUpdateProject(fresh, view));
        const before: Record<string, string> = {};
        const after: Record<string, string> = {};
        const changes: { name?: string; name_canonical?: string; description?: string } = {};
        if (name && name.name !== row.name) {
          if (await projectNameTaken(trx, name.canonical, id)) throw nameTaken();
          Object.assign(changes, { name: name.name, name_canonical: name.canonical });
          Object.assign(before, { name: row.name });
          Object.assign(after, { name: name.name });
        }
        if (description !== undefined && description !== row.description) {
          changes.description = description;
          Object.assign(before, { description: row.description });
          Object.assign(after, { description });
        }
        if (Object.keys(changes).length === 0) return;
        await updateProjectRow(trx, id, changes);
        await recordAuditEvent(ctx, trx, {
          action: 'project.updated',
          target: { type: 'project', id, name: changes.name ?? row.name },
          details: { before, after },
        });
      }),
    );
  } catch (error) {
    if (ctx.database.isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
  const { row, view } = await loadVisibleProject(ctx.database.db, actor, id);
  return presentProject(actor, row, view);
}
