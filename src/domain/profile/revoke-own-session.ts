import { deleteOidcSessionsOfRosterSession } from '../../storage/queries/oidc-payloads.js';
import { deleteSession, endUserSessions, findUserSessionDigest } from '../../storage/queries/sessions.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { revokeOidcAccess } from '../oidc/revoke-oidc-access.js';
import { publicSessionId } from './list-own-sessions.js';

/**
 * Signs out one of the caller's own sessions by its public id (docs/product/console.md#profile-settings). Another
 * user's session id answers 404, like one that does not exist. Ending the current session is allowed: it is a log-out.
 */
export async function revokeOwnSession(
  ctx: OperationContext,
  publicId: string,
  currentDigest: string | null,
): Promise<{ current: boolean }> {
  const userId = callerSubject(ctx).userId;
  return ctx.database.transact(async (trx) => {
    const digest = await findUserSessionDigest(trx, userId, publicId);
    if (!digest) throw new DomainError('not_found', 'No such session.');
    await deleteSession(trx, digest);
    // The console session is the provider's session (docs/decisions/0024): the provider sessions opened in it end too.
    await deleteOidcSessionsOfRosterSession(trx, digest);
    await recordAuditEvent(ctx, trx, {
      action: 'session.revoked',
      target: { type: 'session', id: publicSessionId(digest), name: null },
      details: { userId, sessionsEnded: 1 },
    });
    return { current: digest === currentDigest };
  });
}

/**
 * "Sign out everywhere else": ends every session of the caller except `keepDigest` (null from a token: all of them),
 * and revokes every grant and token of the OpenID Connect provider, the applications of the kept session included: a
 * token an intruder took elsewhere must not outlive this (they sign in again without a password: the console session is
 * the provider's session).
 */
export async function revokeOtherOwnSessions(ctx: OperationContext, keepDigest: string | null): Promise<number> {
  const userId = callerSubject(ctx).userId;
  return ctx.database.transact(async (trx) => {
    const ended = await endUserSessions(trx, userId, { keepDigest });
    const oidcRevoked = await revokeOidcAccess(trx, userId, 'sessions_ended');
    if (ended > 0 || oidcRevoked > 0) {
      await recordAuditEvent(ctx, trx, {
        action: 'session.revoked',
        target: { type: 'user', id: userId, name: callerSubject(ctx).username },
        details: { userId, sessionsEnded: ended, oidcRevoked, keptCurrent: keepDigest !== null },
      });
    }
    return ended;
  });
}
