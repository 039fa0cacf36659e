import { deleteSession } from '../../storage/queries/sessions.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { OperationContext } from '../context.js';

/** Ends one browser session; the cookie stops working at once. */
export async function logOut(ctx: OperationContext, sessionDigest: string): Promise<void> {
  await ctx.database.transact(async (trx) => {
    if ((await deleteSession(trx, sessionDigest)) > 0) {
      await recordAuditEvent(ctx, trx, { action: 'auth.logout', target: { type: 'session', id: sessionDigest.slice(0, 12), name: null } });
    }
  });
}
