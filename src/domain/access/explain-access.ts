import type { Explanation } from '../../shared/api/authorize.js';
import type { Permission } from '../../shared/permissions.js';
import { permissionScope } from '../../shared/permissions.js';
import type { Services } from '../context.js';
import { DomainError } from '../errors.js';
import { type AccessSubject, authorize, can, effectiveRole } from './authorize.js';
import { loadAccessSubject, loadProjectAccessView } from './load-access-subject.js';

export interface AccessQuestion {
  permission: Permission;
  projectId?: string;
  /** Another user to ask about; the caller needs organization.people.view for that. */
  userId?: string;
}

/**
 * Answers "may <user> do <permission> (on <project>)?" with the path that grants it or the reason it is refused
 * (SPEC §3.3 item 4). Asking about yourself needs nothing; asking about someone else needs organization.people.view.
 * A project the caller cannot see is answered as if it did not exist.
 */
export async function explainAccess(services: Services, caller: AccessSubject, question: AccessQuestion): Promise<Explanation> {
  const db = services.database.db;
  let subject = caller;
  if (question.userId && question.userId !== caller.userId) {
    if (!can(caller, 'organization.people.view')) {
      throw new DomainError('forbidden', 'Asking about another person needs organization.people.view.');
    }
    const other = await loadAccessSubject(db, question.userId);
    if (!other) throw new DomainError('not_found', 'There is no such person.');
    subject = other;
  }

  let project = null;
  if (question.projectId) {
    project = await loadProjectAccessView(db, question.projectId);
    const callerSees = project !== null && can(caller, 'project.view', project);
    if (!project || !callerSees) {
      if (subject === caller) {
        const reason = `${caller.username} has no access to that project (or it does not exist).`;
        return describe(subject, { allowed: false, permission: question.permission, reason, paths: [] }, null);
      }
      throw new DomainError('not_found', 'There is no such project.');
    }
  } else if (permissionScope(question.permission) === 'project') {
    throw new DomainError('validation_failed', `${question.permission} is a project permission: give projectId.`, {
      errors: [{ field: '/projectId', message: 'Required for project permissions.' }],
    });
  }
  const decision = authorize(subject, question.permission, project ?? undefined);
  return describe(subject, decision, project ? { id: project.id, name: project.name } : null);
}

function describe(
  subject: AccessSubject,
  decision: { allowed: boolean; permission: Permission; reason: string; paths: string[] },
  project: { id: string; name: string } | null,
): Explanation {
  const role = effectiveRole(subject);
  return {
    ...decision,
    subject: { id: subject.userId, username: subject.username, effectiveRole: role.role, effectiveRoleVia: role.via },
    project,
  };
}
