import type { ProblemDetails, ProblemFieldError } from './types';

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

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/**
 * Calls the API with the session cookie and returns the parsed JSON body (undefined for 204).
 * Throws ApiError for every non-2xx answer and for network failures (status 0, code `network_error`).
 */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({
      status: 0,
      code: 'network_error',
      title: 'Cannot reach the server',
      detail: 'The Roster server did not answer. Check your connection and try again.',
    });
  }

  if (response.ok) {
    if (response.status === 204) return undefined as T;
    return (await readJson(response)) as T;
  }
  throw await toApiError(response);
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  return JSON.parse(text) as unknown;
}

async function toApiError(response: Response): Promise<ApiError> {
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
