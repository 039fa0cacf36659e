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

type Query = Record<string, string | number | undefined>;

/**
 * A thin fetch-based client of `/api/v1` with the personal API token. It never touches a database: everything the
 * client-side commands do goes through the REST API and its permission checks.
 */
export class RosterClient {
  private readonly base: URL;

  constructor(
    baseUrl: string,
    private readonly token: string,
    readonly contextName: string | null = null,
  ) {
    this.base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.json<T>('GET', path, undefined, query);
  }
  post<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('POST', path, body);
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('PUT', path, body);
  }
  delete<T>(path: string, body?: unknown): Promise<T> {
    return this.json<T>('DELETE', path, body);
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('PATCH', path, body);
  }

  /** A non-JSON download (CSV export). */
  async text(path: string, query?: Query): Promise<string> {
    const response = await this.send('GET', path, undefined, query, 'text/csv, application/problem+json');
    return response.text();
  }

  /** A streamed download (audit export): the body is read as it arrives, never held in memory whole. */
  async stream(path: string, query: Query | undefined, accept: string): Promise<ReadableStream<Uint8Array>> {
    const response = await this.send('GET', path, undefined, query, `${accept}, application/problem+json`);
    if (!response.body) throw new CliError('empty_response', 'The server sent no body.');
    return response.body;
  }

  private async json<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
    const response = await this.send(method, path, body, query, 'application/json');
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async send(method: string, path: string, body: unknown, query: Query | undefined, accept: string): Promise<Response> {
    const url = new URL(`api/v1/${path.replace(/^\//, '')}`, this.base);
    for (const [key, value] of Object.entries(query ?? {}))
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, 'user-agent': cliUserAgent(), accept };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), redirect: 'error' });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        'connection_failed',
        `Could not reach ${this.base.origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}.`,
      );
    }
    if (response.ok) return response;
    throw await this.problem(response);
  }

  private async problem(response: Response): Promise<ApiError> {
    const text = await response.text().catch(() => '');
    let problem: Record<string, unknown> = {};
    try {
      problem = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Not problem+json (a proxy's error page, a server that is not Roster): report the status line.
    }
    const code = typeof problem.code === 'string' ? problem.code : `http_${response.status}`;
    const detail = typeof problem.detail === 'string' ? problem.detail : `${response.status} ${response.statusText}`.trim();
    return new ApiError(response.status, code, detail, problem, this.contextName);
  }
}
