import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { ApiPaths } from '../../shared/api/api-calls.js';
import { CliError } from '../errors.js';
import { cliUserAgent } from './version.js';

/** An error answer of the Roster API: its status and the problem body's stable `code` (docs/product/api.md#errors). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problem: Record<string, unknown>,
    /** The stored context whose token was used, if any (for the "run roster connect again" hint). */
    readonly contextName: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The REST API of one server, called with one API token: an openapi-fetch client over the types generated from the
 * OpenAPI document (src/shared/api/api-calls.ts), so a wrong path, parameter, body or answer type at a call site is a
 * compile error. It never touches a database: everything the client-side commands do goes through the REST API and its
 * permission checks. `dataOf` and `completed` read the answers; every error answer is thrown as an ApiError first.
 */
export type RosterClient = Client<ApiPaths> & {
  /** The stored context whose token is used, if any. */
  readonly contextName: string | null;
};

/** A client of `<baseUrl>/api/v1` sending the token, the CLI's User-Agent (audited as `via: cli`) and no redirects. */
export function createRosterClient(baseUrl: string, token: string, contextName: string | null = null): RosterClient {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const client = createClient<ApiPaths>({
    baseUrl: new URL('api/v1', base).href,
    headers: { authorization: `Bearer ${token}`, 'user-agent': cliUserAgent(), accept: 'application/json' },
    redirect: 'error',
    querySerializer: searchParamsOf,
  });
  client.use(problemsAsErrors(base.origin, contextName));
  return Object.assign(client, { contextName });
}

/** Query parameters as the API reads them: what is unset or empty is left out. */
function searchParamsOf(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  return params.toString();
}

/** Every non-2xx answer becomes an ApiError (its problem body, stable code and detail); a failed connection a CliError. */
function problemsAsErrors(origin: string, contextName: string | null): Middleware {
  return {
    async onResponse({ response }) {
      if (!response.ok) throw await toApiError(response, contextName);
      return response;
    },
    onError({ error }) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return new CliError('connection_failed', `Could not reach ${origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}.`);
    },
  };
}

async function toApiError(response: Response, contextName: string | null): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let problem: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object') problem = parsed as Record<string, unknown>;
  } catch {
    // Not problem+json (a proxy's error page, a server that is not Roster): report the status line.
  }
  const code = typeof problem.code === 'string' ? problem.code : `http_${response.status}`;
  const detail = typeof problem.detail === 'string' ? problem.detail : `${response.status} ${response.statusText}`.trim();
  return new ApiError(response.status, code, detail, problem, contextName);
}
