import { deleteOidcSessionsOfRosterSession } from '../../storage/queries/oidc-payloads.js';
import { deleteSession } from '../../storage/queries/sessions.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { OperationContext } from '../context.js';

/**
 * Ends one browser session, and the OpenID Connect provider's sessions opened in it; the cookie stops working at once.
 */
export async function logOut(ctx: OperationContext, sessionDigest: string): Promise<void> {
  await ctx.database.transact(async (trx) => {
    // The console session is the provider's session (docs/decisions/0024): the provider sessions opened in it end too.
    await deleteOidcSessionsOfRosterSession(trx, sessionDigest);
    if ((await deleteSession(trx, sessionDigest)) > 0) {
      await recordAuditEvent(ctx, trx, { action: 'auth.logout', target: { type: 'session', id: sessionDigest.slice(0, 12), name: null } });
    }
  });
}
