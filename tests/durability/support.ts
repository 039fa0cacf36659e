import { type RunningServer, startRoster } from '../support/processes.js';
import { type HttpAnswer, logInOverHttp, type SessionClient } from '../support/session.js';

/**
 * Starts a server on a fresh database, logs in as the printed first Owner and sets `password`. Returns the running
 * server and a session with full access.
 */
export async function startWithOwner(
  env: Record<string, string>,
  password: string,
): Promise<{ server: RunningServer; session: SessionClient<HttpAnswer> }> {
  const server = await startRoster(env);
  const temporary = /^Temporary password: (\S+)$/m.exec(server.output())?.[1];
  if (!temporary) throw new Error(`no temporary password printed:\n${server.output()}`);
  return { server, session: await logInOverHttp(server.url, 'admin', temporary, password) };
}

export const ownerPassword = 'durable owner password 42';
