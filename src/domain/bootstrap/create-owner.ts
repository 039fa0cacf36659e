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

/**
 * Creates an Owner with a temporary password (first start and `roster admin create-owner`). With `onlyIfEmpty`, does
 * nothing when any account exists, so the first Owner's password is printed exactly once.
 */
export async function createOwner(
  ctx: OperationContext,
  input: { username: string; email: string; onlyIfEmpty?: boolean },
): Promise<CreatedOwner | null> {
  const username = parseUsername(input.username);
  const email = parseEmail(input.email);
  const password = await prepareTemporaryPassword(ctx);
  try {
    return await ctx.database.transact(async (trx) => {
      if (input.onlyIfEmpty) {
        const any = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
        if (any) return null;
      }
      const row = await insertAccount(ctx, trx, { username, email, role: 'owner', passwordHash: password.hash });
      await recordAuditEvent(ctx, trx, {
        action: 'user.created',
        target: { type: 'user', id: row.id, name: row.username },
        details: { role: 'owner', email: row.email, firstOwner: Boolean(input.onlyIfEmpty) },
      });
      return { user: presentUser(row), temporaryPassword: password.plaintext };
    });
  } catch (error) {
    if (ctx.database.isUniqueViolation(error))
      throw new DomainError('username_taken', 'An active account already uses that username or email.');
    throw error;
  }
}
