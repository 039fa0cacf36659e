import type { Project } from '../../shared/api/projects.js';
import type { Executor } from '../../storage/database.js';
import type { AccessSubject } from '../access/authorize.js';
import { loadVisibleProject, presentProject } from './project-views.js';

/** `GET /projects/:id`: needs project.view; 404 when the project does not exist or the caller cannot see it. */
export async function getProject(db: Executor, actor: AccessSubject, id: string): Promise<Project> {
  const { row, view } = await loadVisibleProject(db, actor, id);
  return presentProject(actor, row, view);
}
