import type { Executor } from '../database.js';
import type { Flag, MfaPolicy } from '../schema.js';

/** The one row of Settings → Security (migration 0010). */

export function readSecuritySettings(db: Executor) {
  return db.selectFrom('security_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
}

export async function writeSecuritySettings(
  trx: Executor,
  change: { mfa_policy: MfaPolicy; mfa_grace_days: number; mfa_policy_changed_at: string; require_sso: Flag; updated_at: string },
): Promise<void> {
  await trx.updateTable('security_settings').set(change).where('id', '=', 1).execute();
}
