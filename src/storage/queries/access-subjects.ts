import { type Kysely, sql } from 'kysely';
import type { OrganizationRole } from '../../shared/permissions.js';
import type { Executor } from '../database.js';
import type { DialectName } from '../dialects/driver.js';
import { preparedRead } from '../prepared-read.js';
import type { MfaPolicy, Schema, UserRow, UserType } from '../schema.js';
import { type GroupsJson, groupsAsJson } from './groups-json.js';
import { type GrantsJson, grantsReaching } from './project-access.js';
import { userListColumns } from './user-pages.js';

/**
 * The reads that tell who a caller is: an account with its groups (by user id, or by API token digest) and the account
 * with its token's metadata (`/me`). Those on every request's path are prepared reads (`prepared-read.ts`).
 */

/** A user with every group they are in, in `groups_json`: one row per user, however many groups. */
export interface AccessSubjectRow {
  id: string;
  username: string;
  /** Not part of a decision: the OpenID Connect provider's `email` claim reads it with the subject (oidc-accounts.ts). */
  email: string;
  role: OrganizationRole;
  status: string;
  type: UserType;
  deactivated_at: string | null;
  groups_json: GroupsJson;
  /** Second-factor facts (migration 0010): the account's, and the instance policy's (one row, joined). */
  mfa_enabled: number;
  created_at: string;
  mfa_reset_at: string | null;
  mfa_policy: MfaPolicy | null;
  mfa_grace_days: number | null;
  mfa_policy_changed_at: string | null;
}

/** The columns `/me` shows: the account and its API token's metadata (null columns when there is no token). */
export type MeRow = Pick<
  UserRow,
  | 'id'
  | 'username'
  | 'email'
  | 'role'
  | 'status'
  | 'must_change_password'
  | 'mfa_enabled'
  | 'created_at'
  | 'last_seen_at'
  | 'type'
  | 'deactivated_at'
> & {
  token_prefix: string | null;
  token_created_at: string | null;
  token_last_used_at: string | null;
  /** Whether the account has a password (people created by an identity provider have none): 1/0 on SQLite, a boolean on PostgreSQL. */
  has_password: number | boolean;
};

/** The account's columns of `AccessSubjectRow`, for any read that joins `users` (the OIDC bearer-token read too). */
export const accessSubjectColumns = [
  'users.id',
  'users.username',
  'users.email',
  'users.role',
  'users.status',
  'users.mfa_enabled',
  'users.created_at',
  'users.mfa_reset_at',
  'users.type',
  'users.deactivated_at',
] as const;
/** The 2FA policy's columns, from `security_settings` joined `on security_settings.id = 1`. */
export const mfaPolicyColumns = [
  'security_settings.mfa_policy',
  'security_settings.mfa_grace_days',
  'security_settings.mfa_policy_changed_at',
] as const;

/**
 * The `/me` columns, for any query that joins `users` with `api_tokens` (the bearer-token lookup reads them too), and
 * whether the account has a password, in the same read: `/me` is one prepared read, not a second query per request.
 */
const meColumns = [
  ...userListColumns,
  'api_tokens.prefix as token_prefix',
  'api_tokens.created_at as token_created_at',
  'api_tokens.last_used_at as token_last_used_at',
  sql<number | boolean>`exists (select 1 from credentials where credentials.user_id = users.id)`.as('has_password'),
] as const;

/**
 * A user with their groups, inside a transaction (or any executor): the same row as the prepared read (groups in name
 * order), its groups read by a second query (writes re-check here; not on the per-request path).
 */
export async function accessSubjectRows(db: Executor, userId: string): Promise<AccessSubjectRow[]> {
  const user = await db
    .selectFrom('users')
    .leftJoin('security_settings', (join) => join.on(sql<boolean>`security_settings.id = 1`))
    .select([...accessSubjectColumns, ...mfaPolicyColumns])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (!user) return [];
  const groups = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select(['groups.id', 'groups.name', 'groups.role'])
    .where('group_members.user_id', '=', userId)
    .orderBy('groups.name_canonical')
    .execute();
  return [{ ...user, groups_json: groups.map((group) => [group.id, group.name, group.role]) }];
}

/** `accessSubjectRows` as one prepared read on committed data, the groups aggregated in SQL: the per-request path. */
export const preparedAccessSubjectRows = preparedRead<{ userId: string }, AccessSubjectRow>('access_subject', (db, param, dialect) =>
  db
    .selectFrom('users')
    .leftJoin('security_settings', (join) => join.on(sql<boolean>`security_settings.id = 1`))
    .select([...accessSubjectColumns, ...mfaPolicyColumns, groupsAsJson(dialect).as('groups_json')])
    .where('users.id', '=', param('userId')),
);

/** What the bearer-token lookup adds: when the token expires (service accounts) and the address it was last used from. */
export interface TokenUseColumns {
  token_expires_at: string | null;
  token_last_used_ip: string | null;
}

/**
 * The user behind an API token digest with their groups and `/me` columns: ONE query for every API call. It carries
 * the account's status, type and deactivation and the token's expiry, so a deactivated service account or an expired
 * token is refused by this same read on every node, with no cache in between (docs/product/service-accounts.md); and
 * the 2FA policy, so a person in scope without 2FA after the grace period is refused too.
 */
export const preparedTokenSubjectRows = preparedRead<{ digest: string }, TokenSubjectRow>('token_subject', (db, param, dialect) =>
  tokenSubjectQuery(db, dialect, param('digest')),
);

function tokenSubjectQuery(db: Kysely<Schema>, dialect: DialectName, digest: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .leftJoin('security_settings', (join) => join.on(sql<boolean>`security_settings.id = 1`))
    .select([
      ...meColumns,
      'users.mfa_reset_at',
      groupsAsJson(dialect).as('groups_json'),
      ...mfaPolicyColumns,
      'api_tokens.expires_at as token_expires_at',
      'api_tokens.last_used_ip as token_last_used_ip',
    ])
    .where('api_tokens.digest', '=', digest);
}

export type TokenSubjectRow = AccessSubjectRow & MeRow & TokenUseColumns;

/** A project as `preparedTokenSubjectWithProject` adds it: null columns when there is no such project. */
export interface TokenProjectColumns {
  project_id: string | null;
  project_name: string | null;
  project_owner_id: string | null;
  user_grants: GrantsJson;
  group_grants: GrantsJson;
}

/**
 * The bearer-token read with a project and the grants on it that reach the token's account, in ONE statement: what
 * `POST /authorize` needs for a question about the caller (docs/decisions/0027). On PostgreSQL every statement is a
 * round trip, and two were the largest part of a decision (bench/README.md#the-floor-what-the-reads-alone-allow).
 */
export const preparedTokenSubjectWithProject = preparedRead<{ digest: string; projectId: string }, TokenSubjectRow & TokenProjectColumns>(
  'token_subject_with_project',
  (db, param, dialect) =>
    tokenSubjectQuery(db, dialect, param('digest'))
      .leftJoin('projects', (join) => join.on('projects.id', '=', param('projectId')))
      .select(tokenProjectColumns(dialect)),
);

/**
 * `TokenProjectColumns` of a bearer-token read that left-joins `projects` by the id asked about: the project and the
 * grants on it that reach the token's account (`users.id`). Shared by the API-token and OIDC-token reads.
 */
export function tokenProjectColumns(dialect: DialectName) {
  return [
    'projects.id as project_id',
    'projects.name as project_name',
    'projects.owner_id as project_owner_id',
    ...grantsReaching(dialect, sql`users.id`),
  ] as const;
}

/** The caller's account and token in one prepared read: `/me` is on every client's hot path. */
export const preparedMeRows = preparedRead<{ userId: string }, MeRow>('me', (db, param) =>
  db.selectFrom('users').leftJoin('api_tokens', 'api_tokens.user_id', 'users.id').select(meColumns).where('users.id', '=', param('userId')),
);
