import { type ListPeopleQuery, type PeopleFilter, type Person, searchSubstringMinLength } from '../../shared/api/people.js';
import type { Executor } from '../../storage/database.js';
import { isBusyError } from '../../storage/dialects/driver.js';
import { tokenExpiriesOf } from '../../storage/queries/api-tokens.js';
import { groupsOfUsers } from '../../storage/queries/group-members.js';
import { parseGroupsJson } from '../../storage/queries/groups-json.js';
import {
  type EmailKey,
  emailPrefixRangeQuery,
  hasMfaState,
  isSubstringOnlyMatch,
  type ListedRowExtras,
  pageOfUsernamePrefixMatches,
  pageOfUsers,
  readListedPage,
  startsWithTerm,
  substringWalkQuery,
  trigramSubstringPage,
  type UserFilter,
  type UserKey,
  type UserListRow,
} from '../../storage/queries/user-pages.js';
import { countActiveOwners } from '../../storage/queries/users.js';
import type { AccessSubject } from '../access/authorize.js';
import { effectiveRoleName } from '../access/authorize.js';
import { canViewPeople, needsOwnerCount, personRowAbilities } from '../access/policies/people-policy.js';
import { serviceAccountRowAbilities } from '../access/policies/service-account-policy.js';
import { callerSubject, type OperationContext, type Services } from '../context.js';
import { DomainError } from '../errors.js';
import { nextSlice } from '../next-slice.js';
import type { SecurityCounters } from '../operations/security-counters.js';
import { decodePeopleCursor, encodePeopleCursor, invalidCursor, type PeopleCursor } from './people-cursor.js';
import { presentUser } from './present-user.js';

export const defaultPageSize = 50;

/**
 * Search terms shorter than `searchSubstringMinLength` match prefixes only
 * (docs/product/security-settings.md#bounded-work): a substring of one or two characters is in most rows, no trigram
 * index can narrow it, and finding a page of them could mean reading the whole table.
 */
/**
 * Rows one request may read beyond its page in the phases that must skip rows (email prefixes whose username matched
 * already; substring matches the trigram index could not narrow down), in windows of `windowRows` with a turn of the
 * event loop between them (docs/product/security-settings.md#bounded-work). When it is spent the page ends early, with
 * a cursor where the reading stopped: a page may hold fewer than `limit` people and still have a next one.
 */
export const searchRowBudget = 5000;
/** Rows per window: a few milliseconds of reading on the request thread at most. */
const windowRows = 250;
/** Rows the first window reads beyond those wanted, for the few it may skip. */
const firstWindowSlack = 16;

/** What a People page shows beside its rows: each account's groups, token expiries, the number of active Owners. */
interface PageExtras {
  groups: Map<string, Array<{ id: string; name: string; role: Exclude<AccessSubject['directRole'], 'owner'> | null }>>;
  /** Token expiry by account id (null: it never expires), for every service account on the page that has a token. */
  expiries: Map<string, string | null>;
  /** Active Owners in the instance; null when not read yet (`presentPeople` reads it if a row needs it). */
  activeOwners: number | null;
}

/** A page of users, and what it shows beside them when the same read brought it (else `presentPeople` reads it). */
interface PeoplePage {
  rows: UserListRow[];
  next: PeopleCursor | null;
  extras: PageExtras | null;
}

/** The extras of rows read by `readListedPage`, which carry them. */
function extrasOfListedRows(rows: ReadonlyArray<UserListRow & ListedRowExtras>): PageExtras {
  const extras: PageExtras = { groups: new Map(), expiries: new Map(), activeOwners: Number(rows[0]?.active_owners ?? 0) };
  for (const row of rows) {
    extras.groups.set(
      row.id,
      parseGroupsJson(row.groups_json).map(([id, name, role]) => ({ id, name, role })),
    );
    if (row.has_token) extras.expiries.set(row.id, row.token_expires_at);
  }
  return extras;
}

/** The extras of rows read any other way: their groups, and token expiries for service accounts only (the Owner count later, if needed). */
async function readPageExtras(db: Executor, rows: readonly UserListRow[]): Promise<PageExtras> {
  const groups = await groupsOfUsers(
    db,
    rows.map((row) => row.id),
  );
  // Service accounts show their token's expiry (docs/product/service-accounts.md); pages of people skip the read.
  const serviceAccountIds = rows.filter((row) => row.type === 'service_account').map((row) => row.id);
  return { groups, expiries: await tokenExpiriesOf(db, serviceAccountIds), activeOwners: null };
}

/** The search term as stored values are compared: NFKC, trimmed, lower-case (usernames and canonical emails are). */
export function normalizeSearchTerm(query: string | undefined): string {
  return (query ?? '').normalize('NFKC').trim().toLowerCase();
}

/** True when the term is long enough for substring matching; shorter ones match prefixes only. */
export function searchesSubstrings(term: string): boolean {
  return [...term].length >= searchSubstringMinLength;
}

export function userFilterOf(filter: PeopleFilter): UserFilter {
  return {
    status: filter.status ?? 'active',
    role: filter.role,
    type: filter.type === 'all' ? null : (filter.type ?? 'person'),
    mfaEnabled: filter.mfa === undefined ? undefined : filter.mfa === 'enabled',
  };
}

/**
 * A cursor belongs to the kind of search that made it: one for a list without a term cannot continue a search, and
 * none can lead a short term into substring matching (a hand-made `["substring"]` cursor would otherwise do exactly
 * the unbounded walk that short terms are kept from).
 */
function assertCursorFits(cursor: PeopleCursor | null, term: string): void {
  if (!cursor) return;
  const fits = term === '' ? cursor.phase === 'all' : cursor.phase !== 'all' && (cursor.phase !== 'substring' || searchesSubstrings(term));
  if (!fits) invalidCursor();
}

interface Walk<Row, Key> {
  /** Rows kept, in order: at most `wanted`. */
  rows: Row[];
  /** The key of the last row read (kept or not), or the starting key when none was read. */
  last: Key | null;
  /** True when the range ended; false when `wanted` rows were kept or the budget ran out first. */
  ended: boolean;
}

/**
 * Reads an ordered range in windows that each cost at most `windowRows` rows, keeps the rows `keep` accepts, and
 * stops at `wanted` kept rows, at the end of the range or when `budget.rows` is spent. Between windows it gives the
 * event loop a turn, so a long walk is many short slices (docs/product/security-settings.md#bounded-work).
 */
async function walkInWindows<Row, Key>(
  read: (after: Key | null, size: number) => Promise<Row[]>,
  keep: (row: Row) => boolean,
  keyOf: (row: Row) => Key,
  after: Key | null,
  wanted: number,
  budget: { rows: number },
): Promise<Walk<Row, Key>> {
  const rows: Row[] = [];
  let last = after;
  for (let first = true; ; first = false) {
    // The first window asks for what is wanted and a little more (most ranges skip few rows, and a page must cost
    // about a page); later ones read full windows.
    const size = Math.min(first ? wanted + firstWindowSlack : windowRows, windowRows, budget.rows);
    if (size <= 0) return { rows, last, ended: false };
    if (!first) await nextSlice();
    const window = await read(last, size);
    budget.rows -= window.length;
    for (const row of window) {
      last = keyOf(row);
      if (keep(row)) {
        rows.push(row);
        if (rows.length === wanted) return { rows, last, ended: false };
      }
    }
    if (window.length < size) return { rows, last, ended: true };
  }
}

/** Runs a read of `readOffThread`, answering 429 (counted as the `search` limit) when too many are waiting already. */
async function offThread<T>(counters: SecurityCounters, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!isBusyError(error)) throw error;
    counters.rateLimited('search');
    throw new DomainError('rate_limited', 'The server is busy with other searches. Try again in a moment.');
  }
}

const userKeyOf = (row: { username: string; id: string }): UserKey => ({ username: row.username, id: row.id });
const emailKeyOf = (row: { email_canonical: string; id: string }): EmailKey => ({ email: row.email_canonical, id: row.id });

/**
 * A page in (username, id) order, all of it or the usernames starting with `term`: in one prepared read with what the
 * page shows beside its rows (`readListedPage`), except under a two-factor filter, which that read does not take.
 */
async function readOrderedPage(
  database: Services['database'],
  users: UserFilter,
  term: string | null,
  after: UserKey | null,
  limit: number,
): Promise<{ rows: UserListRow[]; extras: PageExtras | null }> {
  if (users.mfaEnabled === undefined) {
    const rows = await readListedPage(database, users, term, after, limit);
    return { rows, extras: extrasOfListedRows(rows) };
  }
  const rows =
    term === null
      ? await pageOfUsers(database.db, users, after, limit)
      : await pageOfUsernamePrefixMatches(database.db, users, term, after, limit);
  return { rows, extras: null };
}

/**
 * Reads up to `limit` rows from `cursor` on: without a search term, every matching person in (username, id) order;
 * with one, username prefix matches, then email prefix matches, then (for three characters or more) the other
 * substring matches (see `PeopleCursor`). Never OFFSET (docs/product/speed-targets.md#targets). Every read on the
 * request thread is an index range bounded by its LIMIT; phases that skip rows read windows within `searchRowBudget`;
 * the trigram lookup of substring matches runs off the request thread (docs/product/security-settings.md#bounded-work).
 */
export async function readPeoplePage(
  { database, securityCounters }: Pick<Services, 'database' | 'securityCounters'>,
  filter: PeopleFilter,
  cursor: PeopleCursor | null,
  limit: number,
): Promise<PeoplePage> {
  const db = database.db;
  const users = userFilterOf(filter);
  const term = normalizeSearchTerm(filter.query);
  assertCursorFits(cursor, term);

  if (term === '') {
    const after = cursor?.phase === 'all' ? (cursor.after ?? null) : null;
    const { rows, extras } = await readOrderedPage(database, users, null, after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { rows: page, next: rows.length > limit && last ? { phase: 'all', after: userKeyOf(last) } : null, extras };
  }

  const budget = { rows: searchRowBudget };
  const rows: UserListRow[] = [];
  const phase = cursor?.phase ?? 'prefix';
  if (phase === 'prefix') {
    const after = cursor?.phase === 'prefix' ? cursor.after : null;
    const prefix = await readOrderedPage(database, users, term, after, limit + 1);
    const last = prefix.rows[limit - 1];
    if (prefix.rows.length > limit && last) {
      return { rows: prefix.rows.slice(0, limit), next: { phase: 'prefix', after: userKeyOf(last) }, extras: prefix.extras };
    }
    rows.push(...prefix.rows);
  }
  if (phase === 'prefix' || phase === 'email') {
    const remaining = limit - rows.length;
    const emails = await walkInWindows(
      (after: EmailKey | null, size) => emailPrefixRangeQuery(db, users, term, after, size).execute(),
      (row) => !startsWithTerm(row.username, term) && hasMfaState(row, users),
      emailKeyOf,
      cursor?.phase === 'email' ? cursor.after : null,
      remaining + 1,
      budget,
    );
    const taken = emails.rows.slice(0, remaining);
    rows.push(...taken);
    if (emails.rows.length > remaining) {
      const last = taken.at(-1);
      return {
        rows,
        next: { phase: 'email', after: last ? emailKeyOf(last) : cursor?.phase === 'email' ? cursor.after : null },
        extras: null,
      };
    }
    if (!emails.ended) return { rows, next: { phase: 'email', after: emails.last }, extras: null };
    if (!searchesSubstrings(term)) return { rows, next: null, extras: null };
  }

  const remaining = limit - rows.length;
  const after = cursor?.phase === 'substring' ? cursor.after : null;
  const narrowed = await offThread(securityCounters, () => trigramSubstringPage(database, users, term, after, remaining + 1));
  const substring: Walk<UserListRow, UserKey> = narrowed
    ? { rows: narrowed, last: null, ended: narrowed.length <= remaining }
    : await walkInWindows(
        (from: UserKey | null, size) => substringWalkQuery(db, users, from, size).execute(),
        (row) => isSubstringOnlyMatch(row, term),
        userKeyOf,
        after,
        remaining + 1,
        budget,
      );
  const taken = substring.rows.slice(0, remaining);
  rows.push(...taken);
  if (substring.rows.length > remaining) {
    const last = taken.at(-1);
    return { rows, next: { phase: 'substring', after: last ? userKeyOf(last) : after }, extras: null };
  }
  if (!substring.ended) return { rows, next: { phase: 'substring', after: substring.last }, extras: null };
  return { rows, next: null, extras: null };
}

/** Adds groups, effective roles and the caller's row abilities to a page of users. */
export async function presentPeople(
  db: Executor,
  actor: AccessSubject,
  rows: readonly UserListRow[],
  extras: PageExtras | null,
): Promise<Person[]> {
  const { groups, expiries, activeOwners } = extras ?? (await readPageExtras(db, rows));
  const page = rows.map((row) => {
    const subject: AccessSubject = {
      userId: row.id,
      username: row.username,
      type: row.type,
      active: row.status === 'active' && row.deactivated_at === null,
      deactivated: row.deactivated_at !== null,
      restricted: false,
      directRole: row.role,
      groups: groups.get(row.id) ?? [],
    };
    return { row, subject };
  });
  // R1 needs the number of Owners only for rows that are active Owners; most pages have none, and skip the count.
  const owners = { activeOwners: activeOwners ?? (page.some(({ subject }) => needsOwnerCount(subject)) ? await countActiveOwners(db) : 0) };
  return page.map(({ row, subject }): Person => {
    if (row.type === 'service_account') {
      const expiry = expiries.get(row.id);
      return Object.assign(presentUser(row), {
        effectiveRole: effectiveRoleName(subject),
        groups: subject.groups.map((group) => ({ id: group.id, name: group.name })),
        abilities: serviceAccountRowAbilities(actor, subject),
        ...(expiry === undefined ? {} : { tokenExpiresAt: expiry }),
      });
    }
    // Object.assign onto the presented user, not `{ ...presentUser(row), … }`: on a page of 50 rows the spread and the
    // serializer's reads of the objects it made cost a third of the request (docs/product/speed-targets.md#targets,
    // decision 0011).
    return Object.assign(presentUser(row), {
      effectiveRole: effectiveRoleName(subject),
      groups: subject.groups.map((group) => ({ id: group.id, name: group.name })),
      abilities: personRowAbilities(actor, subject, owners),
    });
  });
}

/** `GET /people`: one keyset page of people with their groups and what the caller may do to each (docs/product/console.md#people). */
export async function listPeople(ctx: OperationContext, query: ListPeopleQuery): Promise<{ items: Person[]; nextCursor: string | null }> {
  const database = ctx.database;
  const actor = callerSubject(ctx);
  if (!canViewPeople(actor)) throw new DomainError('forbidden', 'You need the organization.people.view permission to see people.');
  const cursor = query.cursor ? decodePeopleCursor(query.cursor) : null;
  const { rows, next, extras } = await readPeoplePage(ctx, query, cursor, query.limit ?? defaultPageSize);
  return { items: await presentPeople(database.db, actor, rows, extras), nextCursor: next ? encodePeopleCursor(next) : null };
}
