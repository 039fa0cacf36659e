import { randomUUID } from 'node:crypto';
import type { OrganizationRole } from '../../shared/permissions.js';
import type { Executor } from '../../storage/database.js';
import { insertCredentials } from '../../storage/queries/credentials.js';
import { insertUser } from '../../storage/queries/users.js';
import type { UserRow } from '../../storage/schema.js';
import type { OperationContext } from '../context.js';
import type { ParsedEmail } from './identity.js';

/** Inserts an active account whose password is the given temporary-password hash. The caller audits. */
export async function insertAccount(
  ctx: OperationContext,
  trx: Executor,
  account: { username: string; email: ParsedEmail; role: OrganizationRole; passwordHash: string },
): Promise<UserRow> {
  const now = ctx.now();
  const row = {
    id: randomUUID(),
    username: account.username,
    email: account.email.display,
    email_canonical: account.email.canonical,
    role: account.role,
    status: 'active' as const,
    must_change_password: 1 as const,
    created_at: now.toISOString(),
    last_seen_at: null,
    removed_at: null,
    last_failed_login_at: null,
    locked_until: null,
  };
  await insertUser(trx, row);
  await insertCredentials(trx, [
    {
      user_id: row.id,
      password_hash: account.passwordHash,
      is_temporary: 1,
      expires_at: new Date(now.getTime() + ctx.config.temporaryPasswordHours * 3_600_000).toISOString(),
      used_at: null,
      updated_at: now.toISOString(),
    },
  ]);
  return {
    ...row,
    failed_login_count: 0,
    seeded: 0,
    mfa_enabled: 0,
    mfa_reset_at: null,
    type: 'person',
    description: '',
    created_by: null,
    deactivated_at: null,
  };
}
