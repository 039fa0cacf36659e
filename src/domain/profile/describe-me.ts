import type { Abilities } from '../../shared/api/me.js';
import type { OrganizationRole, Permission } from '../../shared/permissions.js';
import type { Database } from '../../storage/database.js';
import { preparedRead } from '../../storage/prepared-read.js';
import { userListColumns } from '../../storage/queries/users.js';
import type { UserRow } from '../../storage/schema.js';
import { type AccessSubject, can, effectiveRoleName, instancePermissions } from '../access/authorize.js';
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

/** The columns `/me` shows: the account and its API token's metadata (null columns when there is no token). */
export type MeRow = Pick<
  UserRow,
  'id' | 'username' | 'email' | 'role' | 'status' | 'must_change_password' | 'created_at' | 'last_seen_at'
> & {
  token_prefix: string | null;
  token_created_at: string | null;
  token_last_used_at: string | null;
};

/** The same columns, for any query that joins `users` with `api_tokens` (the bearer-token lookup reads them too). */
export const meColumns = [
  ...userListColumns,
  'api_tokens.prefix as token_prefix',
  'api_tokens.created_at as token_created_at',
  'api_tokens.last_used_at as token_last_used_at',
] as const;

/** The caller's account and token in one prepared read: `/me` is on every client's hot path (SPEC §8). */
const meRows = preparedRead<{ userId: string }, MeRow>('me', (db, param) =>
  db.selectFrom('users').leftJoin('api_tokens', 'api_tokens.user_id', 'users.id').select(meColumns).where('users.id', '=', param('userId')),
);

/**
 * `/me`. `account` is the caller's row when this request has already read it (a bearer token's lookup does, in the
 * same query as the roles); otherwise it is read here.
 */
export async function describeMe(database: Database, subject: AccessSubject, account?: MeRow): Promise<MeView> {
  const row = account ?? (await meRows(database, { userId: subject.userId }))[0];
  if (!row) throw new DomainError('unauthenticated');
  return {
    user: presentUser(row),
    effectiveRole: effectiveRoleName(subject),
    permissions: instancePermissions(subject),
    abilities: abilitiesOf(subject),
    token:
      row.token_prefix !== null && row.token_created_at !== null
        ? { prefix: row.token_prefix, createdAt: row.token_created_at, lastUsedAt: row.token_last_used_at }
        : null,
  };
}
