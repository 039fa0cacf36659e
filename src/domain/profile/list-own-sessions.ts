import { liveUserSessions } from '../../storage/queries/sessions.js';
import { callerSubject, type OperationContext } from '../context.js';

export interface OwnSessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  restricted: boolean;
  current: boolean;
}

/** The public id of a session: a prefix of its stored digest. It identifies the session but cannot be used as one. */
export function publicSessionId(digest: string): string {
  return digest.slice(0, 16);
}

/** A user never holds more live sessions than this in practice (idle 1 h, absolute 24 h); the list stops there. */
const sessionListLimit = 1000;

/**
 * The caller's live sessions, most recently used first (docs/product/console.md#profile-settings). Expired ones are
 * left out (they are deleted when next presented). `currentDigest` marks the session of this request.
 */
export async function listOwnSessions(ctx: OperationContext, currentDigest: string | null): Promise<OwnSessionView[]> {
  const userId = callerSubject(ctx).userId;
  const now = ctx.now();
  const idleCutoff = new Date(now.getTime() - ctx.config.sessionIdleMinutes * 60_000).toISOString();
  const rows = await liveUserSessions(ctx.database.db, userId, { now: now.toISOString(), idleCutoff, limit: sessionListLimit });
  return rows.map((row) => ({
    id: publicSessionId(row.id_digest),
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    ip: row.ip,
    userAgent: row.user_agent,
    restricted: row.restricted === 1,
    current: row.id_digest === currentDigest,
  }));
}
