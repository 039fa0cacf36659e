import type { Project } from '../../shared/api/projects.js';
import { callerSubject, type OperationContext } from '../context.js';
import { loadVisibleProject, presentProject } from './project-views.js';

/** `GET /projects/:id`: needs project.view; 404 when the project does not exist or the caller cannot see it. */
export async function getProject(ctx: OperationContext, id: string): Promise<Project> {
  const db = ctx.database.db;
  const actor = callerSubject(ctx);
  const { row, view } = await loadVisibleProject(db, actor, id);
  return presentProject(actor, row, view);
}
