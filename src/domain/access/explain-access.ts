import type { Explanation } from '../../shared/api/authorize.js';
import type { Permission } from '../../shared/permissions.js';
import { permissionScope } from '../../shared/permissions.js';
import { callerSubject, type OperationContext, type Services } from '../context.js';
import { DomainError } from '../errors.js';
import { type AccessSubject, authorize, can, type Decision, effectiveRole, type ProjectAccessView } from './authorize.js';
import { loadAccessSubject, loadProjectAccessView } from './load-access-subject.js';

export interface AccessQuestion {
  permission: Permission;
  projectId?: string;
  /** Another user to ask about; the caller needs organization.people.view for that. */
  userId?: string;
}

type Resolved =
  | { kind: 'decide'; subject: AccessSubject; project: ProjectAccessView | null }
  /** The caller asked about a project they cannot see: refused, as if it did not exist. */
  | { kind: 'unseen'; subject: AccessSubject };

/** Who a question is about: the caller, or someone else, which needs organization.people.view. */
export async function subjectAskedAbout(services: Services, caller: AccessSubject, userId: string | undefined): Promise<AccessSubject> {
  if (!userId || userId === caller.userId) return caller;
  if (!can(caller, 'organization.people.view')) {
    throw new DomainError('forbidden', 'Asking about another person needs organization.people.view.');
  }
  const other = await loadAccessSubject(services.database, userId);
  if (!other) throw new DomainError('not_found', 'There is no such person.');
  return other;
}

/** The project, if it exists and the caller may see it; null otherwise (the caller must not learn which). */
export async function projectVisibleTo(services: Services, caller: AccessSubject, projectId: string): Promise<ProjectAccessView | null> {
  const project = await loadProjectAccessView(services.database, projectId);
  return project && can(caller, 'project.view', project) ? project : null;
}

/** The subject as an explanation names it: who, and the effective role with every path to it. */
export function describeSubject(subject: AccessSubject): Explanation['subject'] {
  const role = effectiveRole(subject);
  return { id: subject.userId, username: subject.username, type: subject.type, effectiveRole: role.role, effectiveRoleVia: role.via };
}

/** Loads who is asked about and the project, and applies the visibility rules of `explainAccess`. */
async function resolveQuestion(services: Services, caller: AccessSubject, question: AccessQuestion): Promise<Resolved> {
  const subject = await subjectAskedAbout(services, caller, question.userId);
  if (question.projectId) {
    const project = await projectVisibleTo(services, caller, question.projectId);
    if (project) return { kind: 'decide', subject, project };
    if (subject === caller) return { kind: 'unseen', subject };
    throw new DomainError('not_found', 'There is no such project.');
  }
  if (permissionScope(question.permission) === 'project') {
    throw new DomainError('validation_failed', `${question.permission} is a project permission: give projectId.`, {
      errors: [{ field: '/projectId', message: 'Required for project permissions.' }],
    });
  }
  return { kind: 'decide', subject, project: null };
}

const unseenProject = (subject: AccessSubject, permission: Permission): Decision => ({
  allowed: false,
  permission,
  reason: `${subject.username} has no access to that project (or it does not exist).`,
  paths: [],
});

/**
 * Answers "may <user> do <permission> (on <project>)?" with the path that grants it or the reason it is refused
 * (docs/product/roles-and-permissions.md#explanations). Asking about yourself needs nothing; asking about someone else
 * needs organization.people.view. A project the caller cannot see is answered as if it did not exist.
 */
export async function explainAccess(ctx: OperationContext, question: AccessQuestion): Promise<Explanation> {
  const services: Services = ctx;
  const caller = callerSubject(ctx);
  const resolved = await resolveQuestion(services, caller, question);
  if (resolved.kind === 'unseen') return describe(resolved.subject, unseenProject(resolved.subject, question.permission), null);
  const { subject, project } = resolved;
  const decision = authorize(subject, question.permission, project ?? undefined);
  return describe(subject, decision, project ? { id: project.id, name: project.name } : null);
}

/** `explainAccess` without the subject's description: the decision and its reason, as `POST /authorize` answers. */
export async function decideAccess(ctx: OperationContext, question: AccessQuestion): Promise<Decision> {
  const services: Services = ctx;
  const caller = callerSubject(ctx);
  const resolved = await resolveQuestion(services, caller, question);
  if (resolved.kind === 'unseen') return unseenProject(resolved.subject, question.permission);
  return authorize(resolved.subject, question.permission, resolved.project ?? undefined);
}

function describe(
  subject: AccessSubject,
  decision: { allowed: boolean; permission: Permission; reason: string; paths: string[] },
  project: { id: string; name: string } | null,
): Explanation {
  return { ...decision, subject: describeSubject(subject), project };
}
