import { deleteSession, findSessionWithUserStatus, touchSession } from '../../storage/queries/sessions.js';
import { updateUser } from '../../storage/queries/users.js';
import type { Services } from '../context.js';
import { sessionDigest } from './session-tokens.js';

export interface ResolvedSession {
  digest: string;
  userId: string;
  restricted: boolean;
  /** The identity provider's own second factor counts for the 2FA policy in this session. */
  mfaByProvider: boolean;
}

/**
 * How stale `last_seen_at` may get before a request refreshes it (saves a write per request): at most a minute, and at
 * most a quarter of the idle timeout. A fixed minute would end a 1-minute-idle session in active use at 60 s, since its
 * recorded last use could be that old; with a quarter, a session used within three quarters of the timeout lives on.
 */
export function sessionTouchIntervalMs(idleTimeoutMs: number): number {
  return Math.min(60_000, Math.floor(idleTimeoutMs / 4));
}

/**
 * Finds the live session behind a cookie value. Expired sessions (idle or absolute,
 * docs/product/security-settings.md#sessions-and-browser-security) are deleted and give null, as do sessions of removed
 * users.
 */
export async function resolveSession(services: Services, rawId: string): Promise<ResolvedSession | null> {
  if (rawId.length < 20 || rawId.length > 100) return null;
  const { db } = services.database;
  const digest = sessionDigest(rawId);
  const row = await findSessionWithUserStatus(db, digest);
  if (!row) return null;
  const now = services.now();
  const idleLimit = services.config.sessionIdleMinutes * 60_000;
  const lastSeen = Date.parse(row.last_seen_at);
  if (row.status !== 'active' || now.getTime() >= Date.parse(row.expires_at) || now.getTime() - lastSeen >= idleLimit) {
    await deleteSession(db, digest);
    return null;
  }
  if (now.getTime() - lastSeen >= sessionTouchIntervalMs(idleLimit)) {
    await touchSession(db, digest, now.toISOString());
    await updateUser(db, row.user_id, { last_seen_at: now.toISOString() });
  }
  return { digest, userId: row.user_id, restricted: row.restricted === 1, mfaByProvider: Number(row.mfa_by_provider) === 1 };
}
