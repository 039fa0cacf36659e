import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { OrganizationRole } from '../../shared/permissions.js';
import { type Database, dialectOf, type Executor } from '../database.js';
import { type PreparedRead, preparedRead } from '../prepared-read.js';
import type { Schema, UserStatus, UserType } from '../schema.js';
import { type GroupsJson, groupsAsJson } from './groups-json.js';

/**
 * Reads of the People list and export (docs/product/console.md#people, docs/product/security-settings.md#bounded-work,
 * docs/product/speed-targets.md#targets). Keyset pages ordered by (username, id) on the `users_status_*` indexes of
 * migrations 0002 and 0006; never OFFSET. Every query here that runs on the request thread reads an index range in
 * index order and keeps every row it reads, so its LIMIT bounds its cost; where a phase must skip rows (an email-prefix
 * match whose username matched already), the caller reads windows and skips them itself with the predicates below,
 * which say in JavaScript what the SQL would. Substring matches go through the trigram indexes of migration 0004, off
 * the request thread (`Database.readOffThread`).
 */

export interface UserFilter {
  status: UserStatus;
  role?: OrganizationRole | undefined;
  /** People, service accounts, or (null) both. A filter, not part of the index range: service accounts are few. */
  type?: UserType | null | undefined;
  /**
   * Only accounts with (true) or without (false) two-factor authentication. Part of the index range of the pages in
   * username order (`users_status_mfa_username_id`, migration 0010); no email index has it, so the email-prefix phase
   * leaves it to the caller, who skips rows in bounded windows (`hasMfaState`).
   */
  mfaEnabled?: boolean | undefined;
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
  'users.mfa_enabled',
  'users.created_at',
  'users.last_seen_at',
  'users.type',
  'users.deactivated_at',
] as const;

/** Above every character of an ASCII search term: `col >= q AND col < q || U+FFFF` is the prefix range of q. */
const rangeEnd = (prefix: string) => `${prefix}\uffff`;

/** `%`, `_` and `\` in a search term match themselves. */
const likeEscape = (term: string) => term.replace(/[\\%_]/g, (c) => `\\${c}`);

type UsersQuery = SelectQueryBuilder<Schema, 'users', object>;

/**
 * `role = ?`, which must be part of the index range (`users_status_role_*`), never a filter that drops the rows of the
 * other roles. Without statistics (Roster never runs ANALYZE on SQLite) SQLite guesses that one more equal column barely
 * narrows an index, and ranges over `users_status_username_id` instead: 600 ms for `role=owner&query=m` at a million
 * people. `unlikely()` tells it the term is selective; it changes no answer. PostgreSQL plans from its statistics.
 */
function hasRole(db: Executor, role: OrganizationRole) {
  return (eb: ExpressionBuilder<Schema, 'users'>) =>
    dialectOf(db) === 'sqlite' ? sql<boolean>`unlikely(${eb.ref('users.role')} = ${role})` : eb('users.role', '=', role);
}

/**
 * `mfa_enabled = ?`, part of the index range like `hasRole`: `users_status_mfa_username_id` (migration 0010), or with
 * a role `users_status_role_mfa_username_id` (migration 0012). Without statistics SQLite chooses them anyway; with
 * statistics (an ANALYZE run by hand) it ranged a role-and-prefix search over the two-factor index and filtered the
 * role, reading every account with 2FA under the prefix. `unlikely()` keeps both terms in the range; it changes no answer.
 */
function hasMfaEnabled(db: Executor, enabled: boolean) {
  const flag = enabled ? 1 : 0;
  return (eb: ExpressionBuilder<Schema, 'users'>) =>
    dialectOf(db) === 'sqlite' ? sql<boolean>`unlikely(${eb.ref('users.mfa_enabled')} = ${flag})` : eb('users.mfa_enabled', '=', flag);
}

/**
 * Active usernames are unique (partial unique index), so active lists are ordered and keyed by username alone, which
 * lets PostgreSQL read them straight from `users_username_active`; removed accounts may share a name and need the id.
 */
function filtered(db: Executor, filter: UserFilter, after: UserKey | null): UsersQuery {
  let query = db.selectFrom('users').where('users.status', '=', filter.status);
  if (filter.role) query = query.where(hasRole(db, filter.role));
  if (filter.type) query = query.where('users.type', '=', filter.type);
  if (filter.mfaEnabled !== undefined) query = query.where(hasMfaEnabled(db, filter.mfaEnabled));
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

/**
 * `value` starts with `term`: what `prefixOf` asks of the database. The same answer for the values stored here, which
 * are ASCII (docs/product/data.md#usernames, docs/product/data.md#emails), so SQLite's and PostgreSQL's byte order and
 * JavaScript's agree.
 */
export function startsWithTerm(value: string, term: string): boolean {
  return value.startsWith(term);
}

/** A row the substring phase lists: the term inside its username or email, at the start of neither (`substringQuery`). */
export function isSubstringOnlyMatch(row: { username: string; email_canonical: string }, term: string): boolean {
  if (startsWithTerm(row.username, term) || startsWithTerm(row.email_canonical, term)) return false;
  return row.username.includes(term) || row.email_canonical.includes(term);
}

/**
 * The row has the two-factor state `filter` asks for (any, without one): what `filtered` asks of the database, for the
 * email-prefix phase, whose index range cannot include it.
 */
export function hasMfaState(row: { mfa_enabled: number }, filter: UserFilter): boolean {
  return filter.mfaEnabled === undefined || (Number(row.mfa_enabled) === 1) === filter.mfaEnabled;
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
 * Users whose canonical email starts with `term`, in (email, id) order after `after`: a range of
 * `users_status_email_id` (with a role, `users_status_role_email_id`), read in index order with nothing filtered out,
 * so any window of it costs exactly its rows (docs/product/security-settings.md#bounded-work). People whose username
 * starts with `term` too are among them; the username phase listed them already and the caller skips them
 * (`startsWithTerm`) — as a filter in SQL, that skip could walk the whole range for a page (a directory whose usernames
 * are their emails' local parts). The two-factor filter is left out for the same reason (`hasMfaState`).
 */
export function emailPrefixRangeQuery(db: Executor, filter: UserFilter, term: string, after: EmailKey | null, limit: number) {
  const active = filter.status === 'active';
  let query = db.selectFrom('users').where('users.status', '=', filter.status);
  if (filter.role) query = query.where(hasRole(db, filter.role));
  if (filter.type) query = query.where('users.type', '=', filter.type);
  // Active emails are unique (partial unique index), so active ranges are keyed by email alone, as usernames are.
  if (after && active) query = query.where('users.email_canonical', '>', after.email);
  else if (after) query = query.where((eb) => eb(eb.refTuple('users.email_canonical', 'users.id'), '>', eb.tuple(after.email, after.id)));
  const ordered = query
    .where((eb) => prefixOf(eb, 'users.email_canonical', term))
    .select([...userListColumns, 'users.email_canonical'])
    .orderBy('users.email_canonical');
  return (active ? ordered : ordered.orderBy('users.id')).limit(limit);
}

/**
 * A window of the (username, id) order after `after` with the canonical email, for the substring phase to test each
 * row itself (`isSubstringOnlyMatch`) when the trigram index cannot narrow the term down: bounded by its LIMIT.
 */
export function substringWalkQuery(db: Executor, filter: UserFilter, after: UserKey | null, limit: number) {
  return pageQuery(db, filter, after, limit).select('users.email_canonical');
}

/**
 * Users whose username or canonical email contains `term` but does not start with it, in page order: LIKE, with the
 * planner free to use the pg_trgm indexes or walk the username index (PostgreSQL's substring phase, off the request
 * thread through `trigramSubstringPage`).
 */
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

/** The row of a People page as `pageQuery` selects it. */
export type UserListRow = Awaited<ReturnType<typeof pageOfUsers>>[number];

/** What a People page shows beside each row, read in the same statement (`readListedPage`). */
export interface ListedRowExtras {
  /** The person's groups, in name order. */
  groups_json: GroupsJson;
  /** Whether the account has an API token: 1/0 on SQLite, a boolean on PostgreSQL. */
  has_token: number | boolean;
  token_expires_at: string | null;
  /** Active Owners in the whole instance, the same on every row (R1 needs it for rows that are active Owners). */
  active_owners: number | string;
}

/** The parts of a page read that change its SQL; everything else is a value. */
interface ListedPageShape {
  status: UserStatus;
  role: boolean;
  type: boolean;
  after: boolean;
  prefix: boolean;
}

interface ListedPageParams extends Record<string, string | number | null> {
  role: string | null;
  type: string | null;
  term: string | null;
  termEnd: string | null;
  afterUsername: string | null;
  afterId: string | null;
  limit: number;
}

const listedPageReads = new Map<string, PreparedRead<ListedPageParams, UserListRow & ListedRowExtras>>();

/**
 * `pageQuery` (with a username prefix: `usernamePrefixQuery`) plus each row's groups, its API token's expiry and the
 * number of active Owners, as one prepared read per shape of the filter: a People page in one round trip, with no
 * query built per request (docs/product/speed-targets.md#targets: PostgreSQL's prefix pages at 1,000 requests/s).
 */
function listedPageRead(shape: ListedPageShape): PreparedRead<ListedPageParams, UserListRow & ListedRowExtras> {
  const key = `${shape.status}_${Number(shape.role)}${Number(shape.type)}${Number(shape.after)}${Number(shape.prefix)}`;
  let read = listedPageReads.get(key);
  if (!read) {
    read = preparedRead<ListedPageParams, UserListRow & ListedRowExtras>(`people_page_${key}`, (db, param, dialect) => {
      const filter: UserFilter = {
        status: shape.status,
        role: shape.role ? (param('role') as OrganizationRole) : undefined,
        type: shape.type ? (param('type') as UserType) : null,
      };
      const after = shape.after ? { username: param('afterUsername') as string, id: param('afterId') as string } : null;
      const page = pageQuery(db, filter, after, param('limit'));
      const ranged = shape.prefix
        ? page.where((eb) =>
            eb.and([eb('users.username', '>=', param('term') as string), eb('users.username', '<', param('termEnd') as string)]),
          )
        : page;
      return ranged.select([
        groupsAsJson(dialect).as('groups_json'),
        sql<number | boolean>`exists (select 1 from api_tokens t where t.user_id = users.id)`.as('has_token'),
        sql<string | null>`(select t.expires_at from api_tokens t where t.user_id = users.id)`.as('token_expires_at'),
        sql<number | string>`(select count(*) from users o where o.status = 'active' and o.role = 'owner')`.as('active_owners'),
      ]);
    });
    listedPageReads.set(key, read);
  }
  return read;
}

/**
 * `pageOfUsers`, or with a `term` `pageOfUsernamePrefixMatches`, with what the page shows beside each row
 * (`ListedRowExtras`), in one prepared read. Not for a two-factor filter, which `filtered` puts in the index range
 * differently (the caller reads those pages the other way).
 */
export function readListedPage(
  database: Database,
  filter: UserFilter,
  term: string | null,
  after: UserKey | null,
  limit: number,
): Promise<Array<UserListRow & ListedRowExtras>> {
  if (filter.mfaEnabled !== undefined) throw new Error('readListedPage does not take a two-factor filter');
  const read = listedPageRead({
    status: filter.status,
    role: Boolean(filter.role),
    type: Boolean(filter.type),
    after: after !== null,
    prefix: term !== null,
  });
  return read(database, {
    role: filter.role ?? null,
    type: filter.type ?? null,
    term,
    termEnd: term === null ? null : rangeEnd(term),
    afterUsername: after?.username ?? null,
    afterId: after?.id ?? null,
    limit,
  });
}

/** Users whose username starts with `term`, in (username, id) order. */
export function pageOfUsernamePrefixMatches(db: Executor, filter: UserFilter, term: string, after: UserKey | null, limit: number) {
  return usernamePrefixQuery(db, filter, term, after, limit).execute();
}

/**
 * Up to this many trigram candidates, reading them by rowid and sorting them beats walking the username index: the
 * walk reads a row per username it passes, and matches can cluster far into the index ("asmith…" under "as…").
 */
const trigramCandidateLimit = 20_000;

/**
 * SQLite: `substringQuery` restricted to `candidates`, the rowids the FTS5 trigram index (migration 0004) found as
 * one JSON array, read by rowid.
 */
function trigramSubstringQuery(db: Executor, filter: UserFilter, term: string, after: UserKey | null, limit: number, candidates: string) {
  const pattern = `%${likeEscape(term)}%`;
  // CROSS JOIN makes SQLite drive the query from the candidates: without statistics it would rather walk the
  // username index in page order and test every row against the list.
  let query = db
    .selectFrom(sql<{ value: number }>`json_each(${candidates})`.as('candidates'))
    .crossJoin('users')
    .where(sql<boolean>`users.rowid = candidates.value`)
    .where('users.status', '=', filter.status);
  if (filter.role) query = query.where('users.role', '=', filter.role);
  if (filter.type) query = query.where('users.type', '=', filter.type);
  if (filter.mfaEnabled !== undefined) query = query.where('users.mfa_enabled', '=', filter.mfaEnabled ? 1 : 0);
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
 * Up to `limit` users whose username or canonical email contains `term` (three characters or more) but does not start
 * with it, in page order after `after`, found through the trigram indexes of migration 0004 off the request thread
 * (`Database.readOffThread`): the cost of a trigram lookup grows with how common the term's trigrams are, not with
 * the page, so no index range bounds it (docs/product/security-settings.md#bounded-work).
 * - PostgreSQL: one query; the planner chooses between the pg_trgm GIN indexes and an ordered walk of the username
 *   index from its statistics.
 * - SQLite keeps no statistics on its FTS5 table, so the choice is made here: one pass over the trigram index lists
 *   the rows that contain the term (stopping after `trigramCandidateLimit`); if they are few enough, only those rows
 *   are read and sorted. Otherwise the answer is null, and the caller walks the username index in bounded windows
 *   (`substringWalkQuery`), where matches are dense.
 * The LIKE is checked on `users` either way, so the index only narrows the candidates and never changes an answer.
 */
export async function trigramSubstringPage(database: Database, filter: UserFilter, term: string, after: UserKey | null, limit: number) {
  const db = database.db;
  if (dialectOf(db) !== 'sqlite') {
    return database.readOffThread(substringQuery(db, filter, term, after, limit).compile());
  }
  const phrase = `"${term.replace(/"/g, '""')}"`;
  // The candidates come back as one JSON text and go back as it is: up to 20,000 rowids as objects would cost the
  // request thread a few milliseconds to receive and encode again.
  const [found] = await database.readOffThread(
    sql<{ found: number; rowids: string }>`SELECT count(*) AS found, json_group_array(rowid) AS rowids
      FROM (SELECT rowid FROM users_search WHERE users_search MATCH ${phrase} LIMIT ${trigramCandidateLimit + 1})`.compile(db),
  );
  if (!found || found.found > trigramCandidateLimit) return null;
  if (found.found === 0) return [];
  return database.readOffThread(trigramSubstringQuery(db, filter, term, after, limit, found.rowids).compile());
}
