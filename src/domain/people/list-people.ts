import type { ListPeopleQuery, PeopleFilter, Person } from '../../shared/api/people.js';
import type { Executor } from '../../storage/database.js';
import {
  countActiveOwners,
  groupsOfUsers,
  pageOfEmailPrefixMatches,
  pageOfSubstringMatches,
  pageOfUsernamePrefixMatches,
  pageOfUsers,
  type UserFilter,
  type UserKey,
} from '../../storage/queries/users.js';
import type { AccessSubject } from '../access/authorize.js';
import { effectiveRoleName } from '../access/authorize.js';
import { canViewPeople, needsOwnerCount, personRowAbilities } from '../access/policies/people-policy.js';
import { DomainError } from '../errors.js';
import { decodePeopleCursor, encodePeopleCursor, type PeopleCursor } from './people-cursor.js';
import { presentUser } from './present-user.js';

export const defaultPageSize = 50;

type UserListRow = Awaited<ReturnType<typeof pageOfUsers>>[number];

/** The search term as stored values are compared: NFKC, trimmed, lower-case (usernames and canonical emails are). */
export function normalizeSearchTerm(query: string | undefined): string {
  return (query ?? '').normalize('NFKC').trim().toLowerCase();
}

export function userFilterOf(filter: PeopleFilter): UserFilter {
  return { status: filter.status ?? 'active', role: filter.role };
}

/**
 * Reads up to `limit` rows from `cursor` on: without a search term, every matching person in (username, id) order;
 * with one, username prefix matches, then email prefix matches, then the other substring matches (see
 * `PeopleCursor`). Never OFFSET (SPEC §8).
 */
export async function readPeoplePage(
  db: Executor,
  filter: PeopleFilter,
  cursor: PeopleCursor | null,
  limit: number,
): Promise<{ rows: UserListRow[]; next: PeopleCursor | null }> {
  const users = userFilterOf(filter);
  const term = normalizeSearchTerm(filter.query);
  const keyOf = (row: UserListRow): UserKey => ({ username: row.username, id: row.id });

  if (term === '') {
    const rows = await pageOfUsers(db, users, cursor?.phase === 'all' ? (cursor.after ?? null) : null, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { rows: page, next: rows.length > limit && last ? { phase: 'all', after: keyOf(last) } : null };
  }

  const rows: UserListRow[] = [];
  const phase = cursor?.phase ?? 'prefix';
  if (phase === 'prefix') {
    const after = cursor?.phase === 'prefix' ? cursor.after : null;
    const prefix = await pageOfUsernamePrefixMatches(db, users, term, after, limit + 1);
    const last = prefix[limit - 1];
    if (prefix.length > limit && last) return { rows: prefix.slice(0, limit), next: { phase: 'prefix', after: keyOf(last) } };
    rows.push(...prefix);
  }
  if (phase === 'prefix' || phase === 'email') {
    const after = cursor?.phase === 'email' ? cursor.after : null;
    const remaining = limit - rows.length;
    const emails = await pageOfEmailPrefixMatches(db, users, term, after, remaining + 1);
    const taken = emails.slice(0, remaining);
    rows.push(...taken);
    if (emails.length > remaining) {
      const last = taken.at(-1);
      return { rows, next: { phase: 'email', after: last ? { email: last.email_canonical, id: last.id } : after } };
    }
  }
  const remaining = limit - rows.length;
  const after = cursor?.phase === 'substring' ? cursor.after : null;
  const substring = await pageOfSubstringMatches(db, users, term, after, remaining + 1);
  const taken = substring.slice(0, remaining);
  rows.push(...taken);
  if (substring.length <= remaining) return { rows, next: null };
  const last = taken.at(-1);
  return { rows, next: { phase: 'substring', after: last ? keyOf(last) : after } };
}

/** Adds groups, effective roles and the caller's row abilities to a page of users. */
export async function presentPeople(db: Executor, actor: AccessSubject, rows: readonly UserListRow[]): Promise<Person[]> {
  const groups = await groupsOfUsers(
    db,
    rows.map((row) => row.id),
  );
  const page = rows.map((row) => {
    const subject: AccessSubject = {
      userId: row.id,
      username: row.username,
      active: row.status === 'active',
      restricted: false,
      directRole: row.role,
      groups: groups.get(row.id) ?? [],
    };
    return { row, subject };
  });
  // R1 needs the number of Owners only for rows that are active Owners; most pages have none, and skip the count.
  const owners = { activeOwners: page.some(({ subject }) => needsOwnerCount(subject)) ? await countActiveOwners(db) : 0 };
  return page.map(({ row, subject }): Person => {
    // Object.assign onto the presented user, not `{ ...presentUser(row), … }`: on a page of 50 rows the spread and the
    // serializer's reads of the objects it made cost a third of the request (SPEC §8, decision 0011).
    return Object.assign(presentUser(row), {
      effectiveRole: effectiveRoleName(subject),
      groups: subject.groups.map((group) => ({ id: group.id, name: group.name })),
      abilities: personRowAbilities(actor, subject, owners),
    });
  });
}

/** `GET /people`: one keyset page of people with their groups and what the caller may do to each (SPEC §4.2). */
export async function listPeople(
  db: Executor,
  actor: AccessSubject,
  query: ListPeopleQuery,
): Promise<{ items: Person[]; nextCursor: string | null }> {
  if (!canViewPeople(actor)) throw new DomainError('forbidden', 'You need the organization.people.view permission to see people.');
  const cursor = query.cursor ? decodePeopleCursor(query.cursor) : null;
  const { rows, next } = await readPeoplePage(db, query, cursor, query.limit ?? defaultPageSize);
  return { items: await presentPeople(db, actor, rows), nextCursor: next ? encodePeopleCursor(next) : null };
}
