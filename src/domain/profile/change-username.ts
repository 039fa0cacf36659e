import { findActiveUser, updateUser } from '../../storage/queries/users.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerPerson, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { parseUsername } from '../people/identity.js';

/**
 * Changes the caller's own screen name (docs/product/data.md#usernames, docs/product/console.md#profile-settings). The
 * new name is NFKC-normalised and lower-cased, so look-alike letters (Cyrillic `а`) and invisible characters
 * (zero-width joiner) are refused with 400 `invalid_username`. The old name is free at once: every grant is keyed by
 * user id, so whoever takes it next inherits nothing.
 */
export async function changeUsername(ctx: OperationContext, input: { username: string }): Promise<void> {
  const userId = callerPerson(ctx).userId;
  const username = parseUsername(input.username);
  try {
    await ctx.database.transact(async (trx) => {
      const user = await findActiveUser(trx, { kind: 'id', value: userId });
      if (!user) throw new DomainError('unauthenticated');
      if (user.username === username) return;
      // The unique index on active usernames decides races; its violation becomes 409 below.
      await updateUser(trx, user.id, { username });
      await recordAuditEvent(ctx, trx, {
        action: 'user.username_changed',
        target: { type: 'user', id: user.id, name: username },
        details: { from: user.username, to: username },
      });
    });
  } catch (error) {
    if (ctx.database.isUniqueViolation(error)) {
      const message = `The username "${username}" is already taken.`;
      throw new DomainError('username_taken', message, { errors: [{ field: '/username', message }] });
    }
    throw error;
  }
}
