import type { Abilities } from '../../shared/api/me.js';
import type { OrganizationRole, Permission } from '../../shared/permissions.js';
import type { Executor } from '../../storage/database.js';
import { type AccessSubject, can, effectiveRole, instancePermissions } from '../access/authorize.js';
import { DomainError } from '../errors.js';
import { presentUser, type UserView } from '../people/present-user.js';

export interface MeView {
  user: UserView;
  effectiveRole: OrganizationRole;
  permissions: Permission[];
  abilities: Abilities;
  token: { prefix: string; createdAt: string; lastUsedAt: string | null } | null;
}

/** What the console needs to know about the caller: the server decides abilities, the UI only reads them. */
export function abilitiesOf(subject: AccessSubject): Abilities {
  return {
    viewPeople: can(subject, 'organization.people.view'),
    managePeople: can(subject, 'organization.people.manage'),
    viewProjects: can(subject, 'organization.view'),
    createProjects: can(subject, 'organization.projects.create'),
    viewGroups: can(subject, 'organization.groups.view'),
    manageGroups: can(subject, 'organization.groups.manage'),
    viewAuditLog: can(subject, 'organization.audit_logs.view'),
    viewRoles: can(subject, 'organization.custom_roles.view'),
  };
}

export async function describeMe(db: Executor, subject: AccessSubject): Promise<MeView> {
  const user = await db.selectFrom('users').selectAll().where('id', '=', subject.userId).executeTakeFirst();
  if (!user) throw new DomainError('unauthenticated');
  const token = await db
    .selectFrom('api_tokens')
    .select(['prefix', 'created_at', 'last_used_at'])
    .where('user_id', '=', subject.userId)
    .executeTakeFirst();
  return {
    user: presentUser(user),
    effectiveRole: effectiveRole(subject).role,
    permissions: instancePermissions(subject),
    abilities: abilitiesOf(subject),
    token: token ? { prefix: token.prefix, createdAt: token.created_at, lastUsedAt: token.last_used_at } : null,
  };
}
