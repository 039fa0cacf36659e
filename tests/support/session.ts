import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

/**
 * The one way tests act as a logged-in browser: log in, keep the session cookie, send the CSRF token on every request,
 * and follow a rotated session (a password change issues a new cookie and a new token) the way the console does.
 * Two transports, same client: `app.inject` for in-process suites, `fetch` against a listening server for suites that
 * need real sockets or a `roster serve` process.
 */

type Method = NonNullable<InjectOptions['method']>;

/** What a transport answers: the subset of a light-my-request response both transports provide. */
export interface Answer {
  statusCode: number;
  body: string;
  headers: Record<string, string | string[] | number | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: the same as light-my-request's `json()`, so both transports read alike.
  json(): any;
}

/** An answer from a real socket (fetch), shaped like an `app.inject` answer. */
export interface HttpAnswer extends Answer {
  headers: Record<string, string | string[]>;
}

export type Transport<R extends Answer> = (method: Method, url: string, headers: Record<string, string>, body?: unknown) => Promise<R>;

/** Requests through `app.inject` (no socket). */
export function injectTransport(app: FastifyInstance): Transport<LightMyRequestResponse> {
  return (method, url, headers, body) =>
    app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }) });
}

/** Requests with `fetch` to a listening server at `base` (scheme, host and port). */
export function httpTransport(base: string): Transport<HttpAnswer> {
  return async (method, url, headers, body) => {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    const answerHeaders: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      answerHeaders[name] = value;
    });
    const setCookie = response.headers.getSetCookie();
    if (setCookie.length > 0) answerHeaders['set-cookie'] = setCookie;
    return { statusCode: response.status, body: text, headers: answerHeaders, json: () => JSON.parse(text) };
  };
}

/** `roster_session=…` from an answer's Set-Cookie header, or null. */
export function sessionCookieOf(answer: Answer): string | null {
  const header = answer.headers['set-cookie'];
  const cookies = Array.isArray(header) ? header : header === undefined ? [] : [String(header)];
  const session = cookies.find((cookie) => cookie.startsWith('roster_session='));
  return session ? (session.split(';')[0] ?? null) : null;
}

/** A logged-in browser-like client: keeps the session cookie and sends the CSRF token on every request. */
export class SessionClient<R extends Answer = LightMyRequestResponse> {
  constructor(
    private readonly send: Transport<R>,
    public cookie: string,
    public csrfToken: string,
  ) {}

  /** The credential headers of this session (cookie and X-CSRF-Token), for hand-made requests. */
  get headers(): Record<string, string> {
    return { cookie: this.cookie, 'x-csrf-token': this.csrfToken };
  }

  /** The same session (cookie and CSRF token) sent to another server, e.g. another node on the same database. */
  onServer(base: string): SessionClient<HttpAnswer> {
    return new SessionClient(httpTransport(base), this.cookie, this.csrfToken);
  }

  async request(method: Method, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<R> {
    const response = await this.send(method, url, { ...this.headers, ...headers }, body);
    const cookie = sessionCookieOf(response);
    if (cookie) this.cookie = cookie;
    if (response.statusCode === 200 && String(response.headers['content-type'] ?? '').startsWith('application/json')) {
      const parsed = response.json() as { csrfToken?: unknown };
      if (typeof parsed?.csrfToken === 'string') this.csrfToken = parsed.csrfToken;
    }
    return response;
  }

  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, body?: unknown) {
    return this.request('POST', url, body ?? {});
  }
  put(url: string, body?: unknown) {
    return this.request('PUT', url, body ?? {});
  }
  patch(url: string, body?: unknown) {
    return this.request('PATCH', url, body ?? {});
  }
  delete(url: string) {
    return this.request('DELETE', url);
  }
}

/**
 * POST /api/v1/auth/login and a client holding the session; throws when the login fails. With a temporary password the
 * session is restricted until the password changes: pass `newPassword` to change it at once (the client follows the
 * rotated session).
 */
export async function logIn<R extends Answer>(
  send: Transport<R>,
  login: string,
  password: string,
  newPassword?: string,
): Promise<SessionClient<R>> {
  const response = await send('POST', '/api/v1/auth/login', {}, { login, password });
  if (response.statusCode !== 200) throw new Error(`login as ${login} failed: ${response.statusCode} ${response.body}`);
  const cookie = sessionCookieOf(response);
  if (!cookie) throw new Error('no session cookie');
  const body = response.json() as { csrfToken: string; mustChangePassword?: boolean };
  const client = new SessionClient(send, cookie, body.csrfToken);
  if (body.mustChangePassword && newPassword !== undefined) {
    const changed = await client.post('/api/v1/auth/password', { currentPassword: password, newPassword });
    if (changed.statusCode !== 200) throw new Error(`password change of ${login} failed: ${changed.statusCode} ${changed.body}`);
  }
  return client;
}

/** POST /auth/login through `app.inject`; returns the raw response (for asserting failures). */
export function postLogin(app: FastifyInstance, login: string, password: string, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password }, headers });
}

/** Logs in through `app.inject`; throws when the login fails. */
export function loginAs(app: FastifyInstance, login: string, password: string): Promise<SessionClient> {
  return logIn(injectTransport(app), login, password);
}

/** Logs in to a listening server over HTTP; with `newPassword`, also replaces a temporary password. */
export function logInOverHttp(base: string, login: string, password: string, newPassword?: string): Promise<SessionClient<HttpAnswer>> {
  return logIn(httpTransport(base), login, password, newPassword);
}
