import createClient, { type Middleware } from 'openapi-fetch';
import type { ApiPaths } from '../../../src/shared/api/api-calls';
import type { ProblemDetails, ProblemFieldError } from './types';

export { completed, dataOf } from '../../../src/shared/api/api-calls';

/** Base path of the REST API (docs/product/api.md). The console is always served by the same origin as the API. */
export const API_BASE = '/api/v1';

/**
 * An error answer from the API, parsed from `application/problem+json`.
 * `code` is the stable identifier to branch on; `detail` is the server's human-readable explanation.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: ProblemFieldError[] | undefined;
  /** Seconds to wait, from the `Retry-After` header of a 429 (or 503), when the server sent one. */
  readonly retryAfterSeconds: number | null;
  /** The whole problem body, for codes that carry extra members (e.g. `projects` of `user_owns_projects`). */
  readonly problem: ProblemDetails;

  constructor(init: {
    status: number;
    code: string;
    title: string;
    detail: string;
    errors?: ProblemFieldError[] | undefined;
    retryAfterSeconds?: number | null;
    problem?: ProblemDetails;
  }) {
    super(init.detail || init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
    this.problem = init.problem ?? {};
  }
}

/** True when `error` is an ApiError, optionally with the given status or code. */
export function isApiError(error: unknown, match?: { status?: number; code?: string }): error is ApiError {
  if (!(error instanceof ApiError)) return false;
  if (match?.status !== undefined && error.status !== match.status) return false;
  if (match?.code !== undefined && error.code !== match.code) return false;
  return true;
}

// The per-session CSRF token (docs/product/security-settings.md#sessions-and-browser-security). It comes from login,
// password change and `GET /me`, and lives only in memory: a reload gets it back from `/me`, so it is never written to
// storage that scripts could read later.
let csrfToken: string | null = null;

/** Remembers the CSRF token to send with every state-changing request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * The header that proves a state-changing call comes from the console, for calls made outside the typed client (the
 * sign-in interaction of `web/src/api/interactions.ts`). Empty without a session.
 */
export function csrfHeaders(): Record<string, string> {
  return csrfToken === null ? {} : { 'X-CSRF-Token': csrfToken };
}

/** Sent with every call: JSON, or a problem. */
export const accept = 'application/json, application/problem+json';

/** The ApiError of a call the server never answered. */
export function networkError(): ApiError {
  return new ApiError({
    status: 0,
    code: 'network_error',
    title: 'Cannot reach the server',
    detail: 'The Roster server did not answer. Check your connection and try again.',
  });
}

/**
 * The CSRF token on every state-changing call, ApiError for every non-2xx answer (the whole problem body, its code, the
 * `Retry-After`) and for network failures (status 0, code `network_error`); an aborted call stays an AbortError.
 */
const consoleMiddleware: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && csrfToken !== null) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
  async onResponse({ response }) {
    if (!response.ok) throw await toApiError(response);
    return response;
  },
  onError({ error }) {
    // An aborted call (a query nobody waits for any more) stays the AbortError that TanStack Query expects.
    if (error instanceof DOMException && error.name === 'AbortError') return undefined;
    return networkError();
  },
};

/**
 * The console's client of the REST API (openapi-fetch over the types generated from the OpenAPI document): a wrong
 * path, parameter, body or answer type is a compile error. Calls carry the session cookie; `dataOf` and `completed`
 * read their answers.
 */
export const api = createClient<ApiPaths>({
  baseUrl: API_BASE,
  credentials: 'same-origin',
  headers: { Accept: accept },
  querySerializer: searchParamsOf,
});
api.use(consoleMiddleware);

/** Query parameters as the API reads them: what is unset or empty is left out. */
function searchParamsOf(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  return params.toString();
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  return JSON.parse(text) as unknown;
}

/** The ApiError of a non-2xx answer: its problem body, code and `Retry-After`. */
export async function toApiError(response: Response): Promise<ApiError> {
  let problem: ProblemDetails = {};
  const contentType = response.headers.get('Content-Type') ?? '';
  if (contentType.includes('json')) {
    try {
      const body = await readJson(response);
      if (body !== null && typeof body === 'object') problem = body as ProblemDetails;
    } catch {
      // A malformed error body still becomes an ApiError below, built from the status line.
    }
  }
  const title = problem.title ?? (response.statusText || `HTTP ${response.status}`);
  return new ApiError({
    status: response.status,
    code: problem.code ?? `http_${response.status}`,
    title,
    detail: problem.detail ?? title,
    errors: Array.isArray(problem.errors) ? problem.errors : undefined,
    retryAfterSeconds: parseRetryAfter(response.headers.get('Retry-After')),
    problem,
  });
}

/** `Retry-After` is either a number of seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number.parseInt(trimmed, 10);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
