import type { PersonPermissions } from '../../shared/api/authorize.js';
import { allPermissions, permissionScope } from '../../shared/permissions.js';
import { callerSubject, type OperationContext, type Services } from '../context.js';
import { DomainError } from '../errors.js';
import { decideEach } from './authorize.js';
import { describeSubject, type ProjectRead, projectVisibleTo, subjectAskedAbout } from './explain-access.js';

/**
 * `GET /people/:id/permissions`: every permission the person holds or lacks, each with the paths that grant it or the
 * reason it is refused (docs/product/api.md) — on the instance, and on `projectId` too when it is given. The same
 * visibility rules as `explainAccess`: yourself always; someone else needs organization.people.view; a project the
 * caller cannot see answers 404. `read` is the project as read with the caller's token, when it was: used only when
 * the person is the caller.
 */
export async function listEffectivePermissions(
  ctx: OperationContext,
  userId: string,
  projectId?: string,
  read: ProjectRead | null = null,
): Promise<PersonPermissions> {
  const services: Services = ctx;
  const caller = callerSubject(ctx);
  const subject = await subjectAskedAbout(services, caller, userId);
  const project = projectId ? await projectVisibleTo(services, caller, projectId, subject, read) : null;
  if (projectId && !project) throw new DomainError('not_found', 'There is no such project.');
  const permissions = allPermissions.filter((permission) => project || permissionScope(permission) === 'organization');
  return {
    subject: describeSubject(subject),
    project: project ? { id: project.id, name: project.name } : null,
    items: decideEach(subject, permissions, project ?? undefined),
  };
}
