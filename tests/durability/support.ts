import { type RunningServer, startRoster } from '../support/processes.js';

export interface Session {
  cookie: string;
  csrfToken: string;
}

/** Logs in over HTTP and returns the cookie and CSRF token. */
export async function httpLogin(base: string, login: string, password: string): Promise<Session> {
  const response = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (response.status !== 200) throw new Error(`login ${login}: ${response.status} ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const body = (await response.json()) as { csrfToken: string };
  return { cookie, csrfToken: body.csrfToken };
}

export async function httpCall(base: string, session: Session, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      cookie: session.cookie,
      'x-csrf-token': session.csrfToken,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: () => JSON.parse(text) as Record<string, unknown> & { csrfToken?: string } };
}

/**
 * Starts a server on a fresh database, logs in as the printed first Owner and sets `password`. Returns the running
 * server and a session with full access.
 */
export async function startWithOwner(env: Record<string, string>, password: string): Promise<{ server: RunningServer; session: Session }> {
  const server = await startRoster(env);
  const temporary = /^Temporary password: (\S+)$/m.exec(server.output())?.[1];
  if (!temporary) throw new Error(`no temporary password printed:\n${server.output()}`);
  const restricted = await httpLogin(server.url, 'admin', temporary);
  const changed = await httpCall(server.url, restricted, 'POST', '/api/v1/auth/password', {
    currentPassword: temporary,
    newPassword: password,
  });
  if (changed.status !== 200) throw new Error(`password change failed: ${changed.status}`);
  return { server, session: await httpLogin(server.url, 'admin', password) };
}

export const ownerPassword = 'durable owner password 42';
