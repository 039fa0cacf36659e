import { spawn } from 'node:child_process';
import path from 'node:path';
import { type CliRun, repoRoot } from '../support/processes.js';

/** Helpers for CLI tests that drive a real server over HTTP the way a person would before using the CLI. */

export interface BrowserSession {
  cookie: string;
  csrfToken: string;
}

async function postJson(url: string, body: unknown, session?: BrowserSession): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrfToken } : {}),
    },
    body: JSON.stringify(body),
  });
}

function sessionFrom(response: Response, csrfToken: string): BrowserSession {
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('roster_session='));
  if (!setCookie) throw new Error('no session cookie');
  return { cookie: setCookie.split(';')[0] ?? '', csrfToken };
}

/** Logs in; with a temporary password, also sets `newPassword` so the account is fully usable. */
export async function logInOverHttp(base: string, login: string, password: string, newPassword?: string): Promise<BrowserSession> {
  const response = await postJson(`${base}/api/v1/auth/login`, { login, password });
  if (response.status !== 200) throw new Error(`login ${login}: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { csrfToken: string; mustChangePassword: boolean };
  let session = sessionFrom(response, body.csrfToken);
  if (body.mustChangePassword) {
    if (!newPassword) throw new Error(`${login} must change the password`);
    const changed = await postJson(`${base}/api/v1/auth/password`, { currentPassword: password, newPassword }, session);
    if (changed.status !== 200) throw new Error(`password change: ${changed.status} ${await changed.text()}`);
    session = sessionFrom(changed, ((await changed.json()) as { csrfToken: string }).csrfToken);
  }
  return session;
}

/** Profile settings → Reset API Token, as the console does it. */
export async function resetTokenOverHttp(base: string, session: BrowserSession, currentPassword: string): Promise<string> {
  const response = await postJson(`${base}/api/v1/me/token`, { currentPassword }, session);
  if (response.status !== 200) throw new Error(`token reset: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** The one-time first-start password printed by `roster serve`. */
export function firstOwnerPassword(output: string): string {
  const match = /^Temporary password: (\S+)$/m.exec(output);
  if (!match?.[1]) throw new Error(`no temporary password in:\n${output}`);
  return match[1];
}

/**
 * `roster <args>` as a real process, like `runRoster`, but without blocking the test's event loop: the server under
 * test is a child of this process, so its output keeps draining and HTTP keep-alive sockets stay in a known state.
 */
export function runRosterAsync(args: string[], env: Record<string, string>, input?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src/main.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ROSTER_LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}
