import { type AccessSubject, authorize, can, type ProjectAccessView } from '../authorize.js';

/**
 * Who may do what to a project (docs/product/roles-and-permissions.md#project-permissions,
 * docs/product/console.md#projects). Every answer comes from `authorize`, so the explanation paths and these predicates
 * can never disagree.
 */

/** A project with no owner and no grants: only access that comes from the instance role reaches it. */
const unreachableProject: ProjectAccessView = { id: '', name: '', ownerId: '', grants: [] };

/** True when the instance role alone gives project access, i.e. the actor sees every project (Owners and Admins). */
export function seesEveryProject(actor: AccessSubject): boolean {
  return can(actor, 'project.view', unreachableProject);
}

export function canCreateProject(actor: AccessSubject | null): boolean {
  return can(actor, 'organization.projects.create');
}

/**
 * A project the actor cannot view answers 404, never 403, so names do not leak
 * (docs/product/roles-and-permissions.md#project-permissions).
 */
export function canViewProject(actor: AccessSubject, project: ProjectAccessView): boolean {
  return can(actor, 'project.view', project);
}

export function whyCannotUpdateProject(actor: AccessSubject, project: ProjectAccessView): string | null {
  const decision = authorize(actor, 'project.general_settings.manage', project);
  return decision.allowed ? null : decision.reason;
}

export function whyCannotDeleteProject(actor: AccessSubject, project: ProjectAccessView): string | null {
  const decision = authorize(actor, 'project.delete', project);
  return decision.allowed ? null : decision.reason;
}

/**
 * Transfer is allowed to the current owner and to anyone holding project.general_settings.manage on it
 * (docs/product/console.md#projects).
 */
export function whyCannotTransferProject(actor: AccessSubject, project: ProjectAccessView): string | null {
  if (project.ownerId === actor.userId) return null;
  return whyCannotUpdateProject(actor, project);
}

export interface ProjectAbilities {
  edit: boolean;
  delete: boolean;
  transferOwnership: boolean;
  viewAccess: boolean;
  manageAccess: boolean;
}

export function projectAbilities(actor: AccessSubject, project: ProjectAccessView): ProjectAbilities {
  return {
    edit: whyCannotUpdateProject(actor, project) === null,
    delete: whyCannotDeleteProject(actor, project) === null,
    transferOwnership: whyCannotTransferProject(actor, project) === null,
    viewAccess: can(actor, 'project.access.view', project),
    manageAccess: can(actor, 'project.access.manage', project),
  };
}
