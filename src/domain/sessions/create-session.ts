import type { Executor } from '../../storage/database.js';
import { insertSession } from '../../storage/queries/sessions.js';
import type { OperationContext } from '../context.js';
import { csrfTokenFor, newSessionId } from './session-tokens.js';

export interface NewSession {
  rawId: string;
  digest: string;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * Starts a browser session; `restricted` sessions may only set a new password, log out and read /me. `mfaByProvider`:
 * the identity provider that logged the person in showed its own second factor (docs/sso.md#two-factor-authentication).
 */
export async function createSession(
  ctx: OperationContext,
  trx: Executor,
  userId: string,
  restricted: boolean,
  mfaByProvider = false,
): Promise<NewSession> {
  const { raw, digest } = newSessionId();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + ctx.config.sessionMaxHours * 3_600_000);
  await insertSession(trx, {
    id_digest: digest,
    user_id: userId,
    restricted: restricted ? 1 : 0,
    mfa_by_provider: mfaByProvider ? 1 : 0,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
    ip: ctx.request.ip,
    user_agent: ctx.request.userAgent?.slice(0, 512) ?? null,
  });
  return { rawId: raw, digest, csrfToken: csrfTokenFor(raw), expiresAt };
}
