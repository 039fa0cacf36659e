import type { SecondFactor } from '../../shared/api/mfa.js';
import { endUserSessions } from '../../storage/queries/sessions.js';
import { updateUser } from '../../storage/queries/users.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerPerson, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { revokeOidcAccess } from '../oidc/revoke-oidc-access.js';
import { parseEmail } from '../people/identity.js';
import { verifyCurrentPassword } from './verify-current-password.js';

export interface ChangeOwnEmailResult {
  changed: boolean;
  sessionsEnded: number;
}

/**
 * Changes the caller's own email (docs/product/data.md#emails, docs/product/console.md#profile-settings). Needs the
 * current password. The address is checked first (400 `invalid_email`, which reveals nothing), then the password (403),
 * then uniqueness (409 `email_taken`, only after the password, so it is no oracle for who has an account). Every OTHER
 * session of the user ends; the caller's own session, when it is one, survives. Every grant and token of the OpenID
 * Connect provider is revoked (applications hold the old address in their ID tokens).
 */
export async function changeOwnEmail(
  ctx: OperationContext,
  input: { email: string; currentPassword?: string | undefined; secondFactor?: SecondFactor | undefined },
  keepSessionDigest: string | null,
): Promise<ChangeOwnEmailResult> {
  const userId = callerPerson(ctx).userId;
  const email = parseEmail(input.email);
  const account = await verifyCurrentPassword(ctx, userId, input.currentPassword, 'user.email_change_failed', input.secondFactor);
  if (account.email === email.display) return { changed: false, sessionsEnded: 0 };
  try {
    return await ctx.database.transact(async (trx) => {
      await updateUser(trx, account.id, { email: email.display, email_canonical: email.canonical });
      const ended = await endUserSessions(trx, account.id, { keepDigest: keepSessionDigest });
      const oidcRevoked = await revokeOidcAccess(trx, account.id, 'email_changed');
      await recordAuditEvent(ctx, trx, {
        action: 'user.email_changed',
        target: { type: 'user', id: account.id, name: account.username },
        details: { from: account.email, to: email.display, sessionsEnded: ended, oidcRevoked },
      });
      return { changed: true, sessionsEnded: ended };
    });
  } catch (error) {
    if (ctx.database.isUniqueViolation(error)) {
      const message = 'That email address is already used by another account.';
      throw new DomainError('email_taken', message, { errors: [{ field: '/email', message }] });
    }
    throw error;
  }
}
