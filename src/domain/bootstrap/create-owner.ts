import type { Executor } from '../../storage/database.js';
import { hasActiveUserWithRole } from '../../storage/queries/users.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { parseEmail, parseUsername } from '../people/identity.js';
import { insertAccount } from '../people/insert-account.js';
import { prepareTemporaryPassword } from '../people/issue-temporary-password.js';
import { presentUser, type UserView } from '../people/present-user.js';

export interface CreatedOwner {
  user: UserView;
  temporaryPassword: string;
}

/** True when the instance has an active Owner (groups never grant Owner, so the direct role decides). */
export async function hasActiveOwner(db: Executor): Promise<boolean> {
  return hasActiveUserWithRole(db, 'owner');
}

/**
 * Creates an Owner with a temporary password (first start and `roster admin create-owner`). With `onlyIfNoOwner`
 * (the first start), does nothing when an active Owner exists — whether or not other accounts do (a seeded demo
 * database has thousands and no Owner) — so the first Owner's password is printed exactly once, and an instance is
 * never left without anyone who can manage it (docs/decisions/0012-first-owner-bootstrap.md). The check runs under
 * the `owners` lock, so nodes starting together on one empty PostgreSQL database create one Owner between them.
 */
export async function createOwner(
  ctx: OperationContext,
  input: { username: string; email: string; onlyIfNoOwner?: boolean },
): Promise<CreatedOwner | null> {
  const username = parseUsername(input.username);
  const email = parseEmail(input.email);
  const password = await prepareTemporaryPassword(ctx);
  try {
    return await ctx.database.transact(async (trx) => {
      if (input.onlyIfNoOwner) {
        await ctx.database.lock(trx, 'owners');
        if (await hasActiveOwner(trx)) return null;
      }
      const row = await insertAccount(ctx, trx, { username, email, role: 'owner', passwordHash: password.hash });
      await recordAuditEvent(ctx, trx, {
        action: 'user.created',
        target: { type: 'user', id: row.id, name: row.username },
        details: { role: 'owner', email: row.email, firstOwner: Boolean(input.onlyIfNoOwner) },
      });
      return { user: presentUser(row), temporaryPassword: password.plaintext };
    });
  } catch (error) {
    if (ctx.database.isUniqueViolation(error))
      throw new DomainError('username_taken', 'An active account already uses that username or email.');
    throw error;
  }
}
