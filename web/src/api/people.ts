import type { ApiPaths } from '../../../src/shared/api/api-calls';
import type { MfaResetResponse } from '../../../src/shared/api/mfa';
import type {
  CreateAccountsBody,
  CreateAccountsResponse,
  EndSessionsResponse,
  ListPeopleResponse,
  LookupPeopleResponse,
  PasswordResetBody,
  PeopleFilter,
  PersonDetail,
  ProjectRef,
} from '../../../src/shared/api/people';
import { API_BASE, api, completed, dataOf } from './client';

export type { AccountResult, ListPeopleResponse, Person, PersonAbilities, PersonDetail } from '../../../src/shared/api/people';

/** A project the person owns, as listed by `GET /people/:id` and by the 409 `user_owns_projects` problem (R4). */
export type OwnedProject = ProjectRef;

export interface PeoplePageRequest extends PeopleFilter {
  cursor?: string | undefined;
  limit?: number;
}

/**
 * One keyset page of people (`GET /people`): never the whole list, which may hold a million rows
 * (docs/product/speed-targets.md#targets).
 */
export function listPeople(request: PeoplePageRequest, signal?: AbortSignal): Promise<ListPeopleResponse> {
  const { query, role, status, mfa, cursor, limit } = request;
  // People are the default: the address of the plain People list stays as it was.
  const type = request.type === 'person' ? undefined : request.type;
  return dataOf(api.GET('/people', { params: { query: { query, role, status, type, mfa, cursor, limit } }, signal }));
}

/**
 * The first active people and service accounts matching a handle or email (`GET /people/lookup`), for pickers; project
 * Admins may use it.
 */
export function lookupPeople(query: string, signal?: AbortSignal, type: 'person' | 'all' = 'person'): Promise<LookupPeopleResponse> {
  return dataOf(api.GET('/people/lookup', { params: { query: { query, type: type === 'person' ? undefined : type, limit: 20 } }, signal }));
}

type PeopleExportQuery = NonNullable<ApiPaths['/people/export']['get']['parameters']['query']>;

/**
 * The address of the CSV export for the same filter: a link the browser downloads with the session cookie, not a call
 * of the client, so only its query is typed by the document.
 */
export function peopleExportUrl(filter: PeopleFilter): string {
  const query: PeopleExportQuery = { query: filter.query, role: filter.role, status: filter.status, mfa: filter.mfa };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return `${API_BASE}/people/export${text === '' ? '' : `?${text}`}`;
}

export function getPerson(id: string, signal?: AbortSignal): Promise<PersonDetail> {
  return dataOf(api.GET('/people/{id}', { params: { path: { id } }, signal }));
}

export function createAccounts(body: CreateAccountsBody): Promise<CreateAccountsResponse> {
  return dataOf(api.POST('/people', { body }));
}

export function changeRole(id: string, role: PersonDetail['role']): Promise<PersonDetail> {
  return dataOf(api.PUT('/people/{id}/role', { params: { path: { id } }, body: { role } }));
}

export function changeEmail(id: string, email: string): Promise<PersonDetail> {
  return dataOf(api.PUT('/people/{id}/email', { params: { path: { id } }, body: { email } }));
}

/** A new temporary password; the options also revoke their API token and remove every second factor (passkeys too). */
export function resetPassword(id: string, options: { resetToken: boolean; alsoResetMfa: boolean }): Promise<{ temporaryPassword: string }> {
  const body: PasswordResetBody = { resetToken: options.resetToken, ...(options.alsoResetMfa ? { alsoResetMfa: true } : {}) };
  return dataOf(api.POST('/people/{id}/password-reset', { params: { path: { id } }, body }));
}

/**
 * Reset two-factor authentication (R2): removes every authenticator app, recovery code, security key and passkey of the
 * person and ends their sessions.
 */
export function resetPersonMfa(id: string): Promise<MfaResetResponse> {
  return dataOf(api.POST('/people/{id}/mfa-reset', { params: { path: { id } } }));
}

export function unlockPerson(id: string): Promise<PersonDetail> {
  return dataOf(api.POST('/people/{id}/unlock', { params: { path: { id } } }));
}

export function endPersonSessions(id: string): Promise<EndSessionsResponse> {
  return dataOf(api.DELETE('/people/{id}/sessions', { params: { path: { id } } }));
}

/** Removes the person; a 409 `user_owns_projects` carries `projects` to transfer first (R4). */
export function removePerson(id: string): Promise<void> {
  return completed(api.DELETE('/people/{id}', { params: { path: { id } } }));
}

/** The projects listed by a `user_owns_projects` problem body, or null when the body has none. */
export function ownedProjectsOf(problem: Record<string, unknown>): OwnedProject[] | null {
  const projects = problem.projects;
  if (!Array.isArray(projects)) return null;
  return projects.filter(
    (project): project is OwnedProject =>
      typeof project === 'object' && project !== null && typeof project.id === 'string' && typeof project.name === 'string',
  );
}
