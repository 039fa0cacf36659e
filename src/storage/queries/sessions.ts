import { type Insertable, sql } from 'kysely';
import type { Executor } from '../database.js';
import type { SessionsTable } from '../schema.js';

/** Everything that reads or writes the `sessions` table (browser sessions, keyed by the digest of the cookie value). */

export async function insertSession(trx: Executor, session: Insertable<SessionsTable>): Promise<void> {
  await trx.insertInto('sessions').values(session).execute();
}

/** The session behind a digest with its user's status, or undefined. */
export function findSessionWithUserStatus(db: Executor, digest: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.user_id',
      'sessions.restricted',
      'sessions.mfa_by_provider',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.status',
    ])
    .where('sessions.id_digest', '=', digest)
    .executeTakeFirst();
}

/** Ends one session; returns how many rows went (0 or 1). */
export async function deleteSession(db: Executor, digest: string): Promise<number> {
  const ended = await db.deleteFrom('sessions').where('id_digest', '=', digest).executeTakeFirst();
  return Number(ended.numDeletedRows);
}

/** Records a use of the session (the caller decides how often). */
export async function touchSession(db: Executor, digest: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id_digest', '=', digest).execute();
}

/** Ends every session of every user (a restore); returns how many ended. */
export async function endAllSessions(trx: Executor): Promise<number> {
  return Number((await trx.deleteFrom('sessions').executeTakeFirst()).numDeletedRows);
}

/** Ends every session of a user, except `keepDigest` when given; returns how many ended. */
export async function endUserSessions(trx: Executor, userId: string, options: { keepDigest?: string | null } = {}): Promise<number> {
  let query = trx.deleteFrom('sessions').where('user_id', '=', userId);
  if (options.keepDigest) query = query.where('id_digest', '<>', options.keepDigest);
  return Number((await query.executeTakeFirst()).numDeletedRows);
}

/** A user's sessions not expired at `now` nor idle since `idleCutoff`, most recently used first. */
export function liveUserSessions(db: Executor, userId: string, bounds: { now: string; idleCutoff: string; limit: number }) {
  return db
    .selectFrom('sessions')
    .select(['id_digest', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent', 'restricted'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', bounds.now)
    .where('last_seen_at', '>', bounds.idleCutoff)
    .orderBy('last_seen_at', 'desc')
    .orderBy('id_digest')
    .limit(bounds.limit)
    .execute();
}

/** The digest of the user's session whose public id (the first 16 characters of the digest) is `publicId`, or undefined. */
export async function findUserSessionDigest(db: Executor, userId: string, publicId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('sessions')
    .select('id_digest')
    .where('user_id', '=', userId)
    // substr is the same function on both dialects; the user_id index keeps the scan to this user's few sessions.
    .where(sql<string>`substr(id_digest, 1, 16)`, '=', publicId)
    .executeTakeFirst();
  return row?.id_digest;
}

/**
 * Records a fresh login at an identity provider for this session of this person (docs/sso.md); false when the session
 * is gone or belongs to someone else.
 */
export async function markSessionReauthenticated(db: Executor, digest: string, userId: string, at: string): Promise<boolean> {
  const updated = await db
    .updateTable('sessions')
    .set({ reauthenticated_at: at })
    .where('id_digest', '=', digest)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** When this session of this person last re-authenticated at a provider, or null. */
export async function sessionReauthenticatedAt(db: Executor, digest: string, userId: string): Promise<string | null> {
  const row = await db
    .selectFrom('sessions')
    .select('reauthenticated_at')
    .where('id_digest', '=', digest)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.reauthenticated_at ?? null;
}
