import type { MfaResetResponse } from '../../../src/shared/api/mfa';
import type {
  ChangeEmailBody,
  ChangeRoleBody,
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
import { API_BASE, apiRequest } from './client';

export type { AccountResult, ListPeopleResponse, Person, PersonAbilities, PersonDetail } from '../../../src/shared/api/people';

/** A project the person owns, as listed by `GET /people/:id` and by the 409 `user_owns_projects` problem (R4). */
export type OwnedProject = ProjectRef;

export interface PeoplePageRequest extends PeopleFilter {
  cursor?: string | undefined;
  limit?: number;
}

function searchParams(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * One keyset page of people (`GET /people`): never the whole list, which may hold a million rows
 * (docs/product/speed-targets.md#targets).
 */
export function listPeople(request: PeoplePageRequest, signal?: AbortSignal): Promise<ListPeopleResponse> {
  const { query, role, status, mfa, cursor, limit } = request;
  // People are the default: the address of the plain People list stays as it was.
  const type = request.type === 'person' ? undefined : request.type;
  return apiRequest(`/people${searchParams({ query, role, status, type, mfa, cursor, limit })}`, { signal });
}

/**
 * The first active people and service accounts matching a handle or email (`GET /people/lookup`), for pickers; project
 * Admins may use it.
 */
export function lookupPeople(query: string, signal?: AbortSignal, type: 'person' | 'all' = 'person'): Promise<LookupPeopleResponse> {
  return apiRequest(`/people/lookup${searchParams({ query, type: type === 'person' ? undefined : type, limit: 20 })}`, { signal });
}

/** The address of the CSV export for the same filter; the browser downloads it with the session cookie. */
export function peopleExportUrl(filter: PeopleFilter): string {
  return `${API_BASE}/people/export${searchParams({ query: filter.query, role: filter.role, status: filter.status, mfa: filter.mfa })}`;
}

export function getPerson(id: string, signal?: AbortSignal): Promise<PersonDetail> {
  return apiRequest(`/people/${encodeURIComponent(id)}`, { signal });
}

export function createAccounts(body: CreateAccountsBody): Promise<CreateAccountsResponse> {
  return apiRequest('/people', { method: 'POST', body });
}

export function changeRole(id: string, role: PersonDetail['role']): Promise<PersonDetail> {
  return apiRequest(`/people/${encodeURIComponent(id)}/role`, { method: 'PUT', body: { role } satisfies ChangeRoleBody });
}

export function changeEmail(id: string, email: string): Promise<PersonDetail> {
  return apiRequest(`/people/${encodeURIComponent(id)}/email`, { method: 'PUT', body: { email } satisfies ChangeEmailBody });
}

/** A new temporary password; the options also revoke their API token and remove every second factor (passkeys too). */
export function resetPassword(id: string, options: { resetToken: boolean; alsoResetMfa: boolean }): Promise<{ temporaryPassword: string }> {
  const body: PasswordResetBody = { resetToken: options.resetToken, ...(options.alsoResetMfa ? { alsoResetMfa: true } : {}) };
  return apiRequest(`/people/${encodeURIComponent(id)}/password-reset`, { method: 'POST', body });
}

/**
 * Reset two-factor authentication (R2): removes every authenticator app, recovery code, security key and passkey of the
 * person and ends their sessions.
 */
export function resetPersonMfa(id: string): Promise<MfaResetResponse> {
  return apiRequest(`/people/${encodeURIComponent(id)}/mfa-reset`, { method: 'POST' });
}

export function unlockPerson(id: string): Promise<PersonDetail> {
  return apiRequest(`/people/${encodeURIComponent(id)}/unlock`, { method: 'POST' });
}

export function endPersonSessions(id: string): Promise<EndSessionsResponse> {
  return apiRequest(`/people/${encodeURIComponent(id)}/sessions`, { method: 'DELETE' });
}

/** Removes the person; a 409 `user_owns_projects` carries `projects` to transfer first (R4). */
export function removePerson(id: string): Promise<void> {
  return apiRequest(`/people/${encodeURIComponent(id)}`, { method: 'DELETE' });
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
