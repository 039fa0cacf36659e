import { dataOf } from '../../shared/api/api-calls.js';
import type { Page } from '../../shared/api/common.js';
import type { GroupRef, Person, ProjectRef } from '../../shared/api/people.js';
import { CliError } from '../errors.js';
import type { RosterClient } from './api-client.js';

/** The fields of a person (`GET /people`, `GET /people/:id`) that the commands name people by. */
export type PersonRef = Pick<Person, 'id' | 'username' | 'email'>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Finds exactly one active person by username or email (or id) through `GET /people?query=`, matching exactly the
 * way the server compares them: usernames NFKC + lower case, emails lower case.
 */
export async function resolvePerson(client: RosterClient, reference: string): Promise<PersonRef> {
  const wanted = reference.trim();
  if (uuidPattern.test(wanted)) return dataOf(client.GET('/people/{id}', { params: { path: { id: wanted.toLowerCase() } } }));
  const key = wanted.includes('@') ? wanted.toLowerCase() : wanted.normalize('NFKC').toLowerCase();
  const page = await dataOf(client.GET('/people', { params: { query: { query: key, limit: 500 } } }));
  const match = page.items.find((person) => (key.includes('@') ? person.email.toLowerCase() === key : person.username === key));
  if (!match) throw new CliError('not_found', `No active person has the username or email "${wanted}".`);
  return match;
}

/** Finds a project by id, or by name (case-insensitive) among the projects the caller can see. */
export async function resolveProject(client: RosterClient, reference: string): Promise<ProjectRef> {
  const wanted = reference.trim();
  let cursor: string | undefined;
  do {
    const page = await dataOf(client.GET('/projects', { params: { query: { limit: 500, cursor } } }));
    const match = page.items.find((project) => project.id === wanted || project.name.toLowerCase() === wanted.toLowerCase());
    if (match) return match;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  throw new CliError('not_found', `No project you can see is called "${wanted}".`);
}

/**
 * Follows `nextCursor` until the end (or `max` items). `pageAfter` asks for one page of a list: at most `limit` items
 * after `cursor`.
 */
export async function fetchAll<T>(
  pageAfter: (cursor: string | undefined, limit: number) => Promise<Page<T>>,
  max = Infinity,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await pageAfter(cursor, Math.min(500, max - items.length));
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < max);
  return items;
}

/**
 * Finds a group by id, or by name the way the server compares names (NFKC + lower case, exact) through
 * `GET /groups?query=`, following every page. Names holding LIKE wildcards are matched over the unfiltered list.
 */
export async function resolveGroup(client: RosterClient, reference: string): Promise<GroupRef> {
  const wanted = reference.trim();
  if (uuidPattern.test(wanted)) return dataOf(client.GET('/groups/{id}', { params: { path: { id: wanted.toLowerCase() } } }));
  const key = wanted.normalize('NFKC').toLowerCase();
  const query = /[\\%_]/.test(key) ? undefined : key;
  let cursor: string | undefined;
  do {
    const page = await dataOf(client.GET('/groups', { params: { query: { query, limit: 500, cursor } } }));
    const match = page.items.find((group) => group.name.normalize('NFKC').toLowerCase() === key);
    if (match) return match;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  throw new CliError('not_found', `There is no group called "${wanted}".`);
}
