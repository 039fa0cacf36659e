import type { PersonPermissions } from '../../shared/api/authorize.js';
import { allPermissions, permissionScope } from '../../shared/permissions.js';
import type { Services } from '../context.js';
import { DomainError } from '../errors.js';
import { type AccessSubject, authorize, can, effectiveRole } from './authorize.js';
import { readAccessSubject, readProjectAccessView } from './load-access-subject.js';

/**
 * `GET /people/:id/permissions`: every permission the person holds or lacks, each with the paths that grant it or the
 * reason it is refused (SPEC §6) — on the instance, and on `projectId` too when it is given. The same visibility
 * rules as `explainAccess`: yourself always; someone else needs organization.people.view; a project the caller
 * cannot see answers 404.
 */
export async function listEffectivePermissions(
  services: Services,
  caller: AccessSubject,
  userId: string,
  projectId?: string,
): Promise<PersonPermissions> {
  let subject = caller;
  if (userId !== caller.userId) {
    if (!can(caller, 'organization.people.view')) {
      throw new DomainError('forbidden', "Another person's permissions need organization.people.view.");
    }
    const other = await readAccessSubject(services.database, userId);
    if (!other) throw new DomainError('not_found', 'There is no such person.');
    subject = other;
  }
  const project = projectId ? await readProjectAccessView(services.database, projectId) : null;
  if (projectId && (!project || !can(caller, 'project.view', project))) throw new DomainError('not_found', 'There is no such project.');

  const permissions = allPermissions.filter((permission) => project || permissionScope(permission) === 'organization');
  const role = effectiveRole(subject);
  return {
    subject: { id: subject.userId, username: subject.username, effectiveRole: role.role, effectiveRoleVia: role.via },
    project: project ? { id: project.id, name: project.name } : null,
    items: permissions.map((permission) => {
      const { allowed, reason, paths } = authorize(subject, permission, project ?? undefined);
      return { permission, allowed, reason, paths };
    }),
  };
}
