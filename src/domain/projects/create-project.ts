import { randomUUID } from 'node:crypto';
import type { CreateProjectBody, Project } from '../../shared/api/projects.js';
import { insertProject, projectNameTaken } from '../../storage/queries/projects.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { canCreateProject } from '../access/policies/project-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { reloadActor } from '../people/load-person.js';
import { loadVisibleProject, nameTaken, parseProjectName, presentProject } from './project-views.js';

/** `POST /projects` (docs/product/console.md#projects): the creator becomes the owner. 409 `name_taken` for a name in use (any case). */
export async function createProject(ctx: OperationContext, body: CreateProjectBody): Promise<Project> {
  const actor = callerSubject(ctx);
  const { name, canonical } = parseProjectName(body.name);
  const description = body.description?.trim() ?? '';
  const id = randomUUID();
  try {
    await recordDenials(ctx, { action: 'project.created', target: { type: 'project', id: null, name } }, () =>
      ctx.database.transact(async (trx) => {
        // Serialised with removePerson, so nobody removed a moment ago becomes an owner (R4).
        await ctx.database.lock(trx, 'owners');
        const fresh = await reloadActor(trx, actor);
        assertAllowed(canCreateProject(fresh) ? null : 'You need the organization.projects.create permission to create projects.');
        if (await projectNameTaken(trx, canonical)) throw nameTaken();
        await insertProject(trx, {
          id,
          name,
          name_canonical: canonical,
          description,
          owner_id: fresh.userId,
          created_at: ctx.now().toISOString(),
        });
        await recordAuditEvent(ctx, trx, {
          action: 'project.created',
          target: { type: 'project', id, name },
          details: { name, description, ownerId: fresh.userId },
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
