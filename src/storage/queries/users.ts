import { type ExpressionBuilder, type SelectQueryBuilder, SqliteAdapter, sql } from 'kysely';
import type { OrganizationRole } from '../../shared/permissions.js';
import type { Executor } from '../database.js';
import type { Schema, UserStatus } from '../schema.js';

/**
 * Reads of the People list and export (SPEC §4.2, §8). Keyset pages ordered by (username, id) on the
 * `users_status_*` indexes of migration 0002; never OFFSET. Prefix matches are index ranges, substring matches are a
 * LIKE scan in index order for now (a later issue adds trigram/FTS5 indexes).
 */

export interface UserFilter {
  status: UserStatus;
  role?: OrganizationRole | undefined;
}

/** Position after the last row of a page. */
export interface UserKey {
  username: string;
  id: string;
}

export const userListColumns = [
  'users.id',
  'users.username',
  'users.email',
  'users.role',
  'users.status',
  'users.must_change_password',
  'users.created_at',
  'users.last_seen_at',
] as const;

/** Above every character of an ASCII search term: `col >= q AND col < q || U+FFFF` is the prefix range of q. */
const rangeEnd = (prefix: string) => `${prefix}\uffff`;

/** `%`, `_` and `\` in a search term match themselves. */
const likeEscape = (term: string) => term.replace(/[\\%_]/g, (c) => `\\${c}`);

type UsersQuery = SelectQueryBuilder<Schema, 'users', object>;

/**
 * Active usernames are unique (partial unique index), so active lists are ordered and keyed by username alone, which
 * lets PostgreSQL read them straight from `users_username_active`; removed accounts may share a name and need the id.
 */
function filtered(db: Executor, filter: UserFilter, after: UserKey | null): UsersQuery {
  let query = db.selectFrom('users').where('users.status', '=', filter.status);
  if (filter.role) query = query.where('users.role', '=', filter.role);
  if (after && filter.status === 'active') query = query.where('users.username', '>', after.username);
  else if (after) {
    query = query.where((eb) => eb(eb.refTuple('users.username', 'users.id'), '>', eb.tuple(after.username, after.id)));
  }
  return query;
}

function prefixOf(eb: ExpressionBuilder<Schema, 'users'>, column: 'users.username' | 'users.email_canonical', term: string) {
  return eb.and([eb(column, '>=', term), eb(column, '<', rangeEnd(term))]);
}

/** Position after the last row of a page of the email-prefix phase, which is ordered by canonical email. */
export interface EmailKey {
  email: string;
  id: string;
}

/** The rows the prefix phases return (username prefixes, then email prefixes), which the substring phase leaves out. */
function prefixPhaseMatch(eb: ExpressionBuilder<Schema, 'users'>, term: string) {
  return eb.or([prefixOf(eb, 'users.username', term), prefixOf(eb, 'users.email_canonical', term)]);
}

/** One page of users in (username, id) order, optionally after `after`. */
export function pageQuery(db: Executor, filter: UserFilter, after: UserKey | null, limit: number) {
  const ordered = filtered(db, filter, after).select(userListColumns).orderBy('users.username');
  return (filter.status === 'active' ? ordered : ordered.orderBy('users.id')).limit(limit);
}

/** Users whose username starts with `term`: a range on `users_status_username_id` (or `…_role_…`), read in order. */
export function usernamePrefixQuery(db: Executor, filter: UserFilter, term: string, after: UserKey | null, limit: number) {
  return pageQuery(db, filter, after, limit).where((eb) => prefixOf(eb, 'users.username', term));
}

/**
 * Users whose canonical email starts with `term` and whose username does not, in (email, id) order: a range on
 * `users_status_email_id`, read in index order, so any page of it costs one page of rows (SPEC §8).
 */
export function emailPrefixQuery(db: Executor, filter: UserFilter, term: string, after: EmailKey | null, limit: number) {
  let query = db.selectFrom('users').where('users.status', '=', filter.status);
  if (filter.role) query = query.where('users.role', '=', filter.role);
  if (after) query = query.where((eb) => eb(eb.refTuple('users.email_canonical', 'users.id'), '>', eb.tuple(after.email, after.id)));
  return query
    .where((eb) => prefixOf(eb, 'users.email_canonical', term))
    .where((eb) => eb.not(prefixOf(eb, 'users.username', term)))
    .select([...userListColumns, 'users.email_canonical'])
    .orderBy('users.email_canonical')
    .orderBy('users.id')
    .limit(limit);
}

/** Users whose username or canonical email contains `term` but does not start with it: LIKE, walked in index order. */
export function substringQuery(db: Executor, filter: UserFilter, term: string, after: UserKey | null, limit: number) {
  const pattern = `%${likeEscape(term)}%`;
  return pageQuery(db, filter, after, limit)
    .where((eb) => eb.not(prefixPhaseMatch(eb, term)))
    .where((eb) =>
      eb.or([
        sql<boolean>`${eb.ref('users.username')} LIKE ${pattern} ESCAPE '\\'`,
        sql<boolean>`${eb.ref('users.email_canonical')} LIKE ${pattern} ESCAPE '\\'`,
      ]),
    );
}

export function pageOfUsers(db: Executor, filter: UserFilter, after: UserKey | null, limit: number) {
  return pageQuery(db, filter, after, limit).execute();
}

/** Users whose username starts with `term`, in (username, id) order. */
export function pageOfUsernamePrefixMatches(db: Executor, filter: UserFilter, term: string, after: UserKey | null, limit: number) {
  return usernamePrefixQuery(db, filter, term, after, limit).execute();
}

/** Users whose canonical email starts with `term` (and whose username does not), in (email, id) order. */
export function pageOfEmailPrefixMatches(db: Executor, filter: UserFilter, term: string, after: EmailKey | null, limit: number) {
  return emailPrefixQuery(db, filter, term, after, limit).execute();
}

/**
 * Up to this many trigram candidates, reading them by rowid and sorting them beats walking the username index: the
 * walk reads a row per username it passes, and matches can cluster far into the index ("asmith…" under "as…").
 */
const trigramCandidateLimit = 20_000;

/**
 * SQLite: `substringQuery` restricted to `candidates`, the rowids the FTS5 trigram index (migration 0004) found,
 * passed as one JSON array and read by rowid.
 */
function trigramSubstringQuery(db: Executor, filter: UserFilter, term: string, after: UserKey | null, limit: number, candidates: number[]) {
  const pattern = `%${likeEscape(term)}%`;
  // CROSS JOIN makes SQLite drive the query from the candidates: without statistics it would rather walk the
  // username index in page order and test every row against the list.
  let query = db
    .selectFrom(sql<{ value: number }>`json_each(${JSON.stringify(candidates)})`.as('candidates'))
    .crossJoin('users')
    .where(sql<boolean>`users.rowid = candidates.value`)
    .where('users.status', '=', filter.status);
  if (filter.role) query = query.where('users.role', '=', filter.role);
  if (after && filter.status === 'active') query = query.where('users.username', '>', after.username);
  else if (after) query = query.where((eb) => eb(eb.refTuple('users.username', 'users.id'), '>', eb.tuple(after.username, after.id)));
  const ordered = query
    .where((eb) => eb.not(prefixPhaseMatch(eb, term)))
    .where((eb) =>
      eb.or([
        sql<boolean>`${eb.ref('users.username')} LIKE ${pattern} ESCAPE '\\'`,
        sql<boolean>`${eb.ref('users.email_canonical')} LIKE ${pattern} ESCAPE '\\'`,
      ]),
    )
    .select(userListColumns)
    .orderBy('users.username');
  return (filter.status === 'active' ? ordered : ordered.orderBy('users.id')).limit(limit);
}

/**
 * Users whose username or canonical email contains `term` but does not start with it, in page order. PostgreSQL's
 * planner chooses by itself between the pg_trgm GIN indexes (migration 0004) and the ordered walk of `substringQuery`.
 * SQLite keeps no statistics on its FTS5 table, so the choice is made here, in one pass over the trigram index: it
 * lists the rows that contain a term of three or more characters (stopping after `trigramCandidateLimit`); if they
 * are few enough, only those rows are read and sorted, else the ordered walk stops after a page. The LIKE is checked
 * on `users` either way, so the index only narrows the candidates and never changes an answer.
 */
export async function pageOfSubstringMatches(db: Executor, filter: UserFilter, term: string, after: UserKey | null, limit: number) {
  if (term.length < 3 || !(db.getExecutor().adapter instanceof SqliteAdapter)) {
    return substringQuery(db, filter, term, after, limit).execute();
  }
  const phrase = `"${term.replace(/"/g, '""')}"`;
  const found = await sql<{ rowid: number }>`SELECT rowid FROM users_search WHERE users_search MATCH ${phrase}
    LIMIT ${trigramCandidateLimit + 1}`.execute(db);
  if (found.rows.length > trigramCandidateLimit) return substringQuery(db, filter, term, after, limit).execute();
  if (found.rows.length === 0) return [];
  const candidates = found.rows.map((row) => row.rowid);
  return trigramSubstringQuery(db, filter, term, after, limit, candidates).execute();
}

/** Groups of each of `userIds`, with their instance roles (for effective roles and the Groups column). */
export async function groupsOfUsers(db: Executor, userIds: readonly string[]) {
  const byUser = new Map<string, Array<{ id: string; name: string; role: Exclude<OrganizationRole, 'owner'> | null }>>();
  if (userIds.length === 0) return byUser;
  const rows = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select(['group_members.user_id', 'groups.id', 'groups.name', 'groups.role'])
    .where('group_members.user_id', 'in', [...userIds])
    .orderBy('groups.name_canonical')
    .execute();
  for (const row of rows) {
    const list = byUser.get(row.user_id) ?? [];
    list.push({ id: row.id, name: row.name, role: row.role });
    byUser.set(row.user_id, list);
  }
  return byUser;
}

/** Active accounts whose direct role is Owner (R1). Call under the `owners` lock when the answer guards a write. */
export async function countActiveOwners(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('status', '=', 'active')
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
