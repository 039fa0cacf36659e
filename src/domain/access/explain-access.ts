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
  /**
   * Another user to ask about; the caller needs organization.people.view for that. Required for an application (client
   * credentials); refused for a person's OpenID Connect access token unless it is the person themselves.
   */
  userId?: string;
}

/**
 * A project read ahead with the caller's token (docs/decisions/0027): its view for questions by and about
 * `forUserId` on `projectId` (null: no such project), used instead of reading it again.
 */
export interface ProjectRead {
  projectId: string;
  forUserId: string;
  view: ProjectAccessView | null;
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

/**
 * The project, if it exists and the caller may see it; null otherwise (the caller must not learn which). Loaded for the
 * caller and for `decidingFor`, the person the answer is about.
 */
export async function projectVisibleTo(
  services: Services,
  caller: AccessSubject,
  projectId: string,
  decidingFor: AccessSubject,
  read: ProjectRead | null = null,
): Promise<ProjectAccessView | null> {
  const readAhead = read?.projectId === projectId && caller.userId === read.forUserId && decidingFor.userId === read.forUserId;
  const project = readAhead ? read.view : await loadProjectAccessView(services.database, projectId, [caller.userId, decidingFor.userId]);
  return project && can(caller, 'project.view', project) ? project : null;
}

/** The subject as an explanation names it: who, and the effective role with every path to it. */
export function describeSubject(subject: AccessSubject): Explanation['subject'] {
  const role = effectiveRole(subject);
  return { id: subject.userId, username: subject.username, type: subject.type, effectiveRole: role.role, effectiveRoleVia: role.via };
}

/**
 * Who is asking, as a question sees it (SPEC §12.1 "Audience"): an account with its own permissions (about itself, or
 * with organization.people.view about anyone); a person through an application's access token, about themselves
 * only; or an application with client credentials, which has no permissions of its own and must name the person.
 * Only the asker differs: every question ends in the same `authorize`.
 */
type Asker = { kind: 'account'; subject: AccessSubject; onlyAboutSelf: boolean } | { kind: 'application' };

function askerOf(ctx: OperationContext): Asker {
  if (ctx.caller.kind === 'application') return { kind: 'application' };
  const subject = callerSubject(ctx);
  return { kind: 'account', subject, onlyAboutSelf: ctx.caller.kind === 'user' && ctx.caller.through !== undefined };
}

/** The person a question is about, given who asks. */
async function subjectOfQuestion(services: Services, asker: Asker, userId: string | undefined): Promise<AccessSubject> {
  if (asker.kind === 'application') {
    if (!userId) {
      throw new DomainError('validation_failed', 'An application has no permissions of its own: name the person in userId.', {
        errors: [{ field: '/userId', message: 'Required with a client-credentials token.' }],
      });
    }
    const person = await loadAccessSubject(services.database, userId);
    if (!person) throw new DomainError('not_found', 'There is no such person.');
    return person;
  }
  if (asker.onlyAboutSelf && userId !== undefined && userId !== asker.subject.userId) {
    throw new DomainError('forbidden', 'An access token issued to an application answers only about its own person.');
  }
  return subjectAskedAbout(services, asker.subject, userId);
}

/** Loads who is asked about and the project, and applies the visibility rules of `explainAccess`. */
async function resolveQuestion(
  services: Services,
  asker: Asker,
  question: AccessQuestion,
  read: ProjectRead | null = null,
): Promise<Resolved> {
  const subject = await subjectOfQuestion(services, asker, question.userId);
  // Whose view of the projects applies: the asking account's; an application sees only what the person it asks about
  // sees (a project hidden from them is answered as if it did not exist, never as 404, which would tell it apart).
  const viewer = asker.kind === 'account' ? asker.subject : subject;
  if (question.projectId) {
    const project = await projectVisibleTo(services, viewer, question.projectId, subject, read);
    if (project) return { kind: 'decide', subject, project };
    if (subject === viewer) return { kind: 'unseen', subject };
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
 * needs organization.people.view. A project the caller cannot see is answered as if it did not exist. An application
 * (client credentials) must name the person; a person's OpenID Connect access token answers only about them. `read`
 * is the project as read with the caller's token, when it was (as for `decideAccess`).
 */
export async function explainAccess(
  ctx: OperationContext,
  question: AccessQuestion,
  read: ProjectRead | null = null,
): Promise<Explanation> {
  const services: Services = ctx;
  const resolved = await resolveQuestion(services, askerOf(ctx), question, read);
  if (resolved.kind === 'unseen') return describe(resolved.subject, unseenProject(resolved.subject, question.permission), null);
  const { subject, project } = resolved;
  const decision = authorize(subject, question.permission, project ?? undefined);
  return describe(subject, decision, project ? { id: project.id, name: project.name } : null);
}

/**
 * `explainAccess` without the subject's description: the decision and its reason, as `POST /authorize` answers. `read`
 * is the project as read with the caller's token, when it was.
 */
export async function decideAccess(ctx: OperationContext, question: AccessQuestion, read: ProjectRead | null = null): Promise<Decision> {
  const services: Services = ctx;
  const resolved = await resolveQuestion(services, askerOf(ctx), question, read);
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
