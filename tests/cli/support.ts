import type { HttpAnswer, SessionClient } from '../support/session.js';

/** Helpers for CLI tests that drive a real server over HTTP the way a person would before using the CLI. */

/** Profile settings → Reset API Token, as the console does it. */
export async function resetTokenOverHttp(session: SessionClient<HttpAnswer>, currentPassword: string): Promise<string> {
  const response = await session.post('/api/v1/me/token', { currentPassword });
  if (response.statusCode !== 200) throw new Error(`token reset: ${response.statusCode} ${response.body}`);
  return (response.json() as { token: string }).token;
}

/** The one-time first-start password printed by `roster serve`. */
export function firstOwnerPassword(output: string): string {
  const match = /^Temporary password: (\S+)$/m.exec(output);
  if (!match?.[1]) throw new Error(`no temporary password in:\n${output}`);
  return match[1];
}
