import { deleteUserToken } from '../../storage/queries/api-tokens.js';
import { deleteIdentitiesOfUser } from '../../storage/queries/user-identities.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotManagePerson } from '../access/policies/people-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { removeAllFactors } from '../mfa/remove-all-factors.js';
import { revokeOidcAccess } from '../oidc/revoke-oidc-access.js';
import { prepareTemporaryPassword, storeTemporaryPassword } from './issue-temporary-password.js';
import { loadManageablePerson, reloadActor } from './load-person.js';

/**
 * `POST /people/:id/password-reset` (docs/product/console.md#people,
 * docs/product/security-settings.md#temporary-passwords, R2): a new temporary password that must be changed at next
 * login. Ends every session of the person and revokes what the OpenID Connect provider issued to them; with
 * `resetToken`, also revokes their API token; with `alsoResetMfa`, also removes every second factor
 * (docs/product/security-settings.md#two-factor-authentication: evicting an intruder who registered one), audited as
 * its own `mfa.reset` event in the same transaction.
 */
export async function resetPassword(
  ctx: OperationContext,
  targetId: string,
  options: { resetToken?: boolean | undefined; alsoResetMfa?: boolean | undefined },
): Promise<{ temporaryPassword: string }> {
  const actor = callerSubject(ctx);
  const attempt = { action: 'user.password_reset', target: { type: 'user' as const, id: targetId, name: null } };
  // Refuse early without spending a hash; the transaction below decides for real.
  await recordDenials(ctx, attempt, async () => {
    const target = await loadManageablePerson(ctx.database.db, targetId);
    assertAllowed(whyCannotManagePerson(actor, target.subject, 'resetPassword'));
  });
  const password = await prepareTemporaryPassword(ctx);
  await recordDenials(ctx, attempt, () =>
    ctx.database.transact(async (trx) => {
      const fresh = await reloadActor(trx, actor);
      const target = await loadManageablePerson(trx, targetId);
      assertAllowed(whyCannotManagePerson(fresh, target.subject, 'resetPassword'));
      const sessionsEnded = await storeTemporaryPassword(ctx, trx, targetId, password.hash);
      const oidcRevoked = await revokeOidcAccess(trx, targetId, 'password_reset');
      // SPEC §12.2: an administrator's password reset removes the person's links to identity providers.
      const identitiesUnlinked = await deleteIdentitiesOfUser(trx, targetId);
      const revokedPrefix = options.resetToken ? await deleteUserToken(trx, targetId) : null;
      if (options.alsoResetMfa) {
        assertAllowed(whyCannotManagePerson(fresh, target.subject, 'resetMfa'));
        await removeAllFactors(ctx, trx, { id: targetId, username: target.row.username }, { withPasswordReset: true });
      }
      await recordAuditEvent(ctx, trx, {
        action: 'user.password_reset',
        target: { type: 'user', id: targetId, name: target.row.username },
        details: {
          sessionsEnded,
          oidcRevoked,
          identitiesUnlinked,
          tokenRevoked: revokedPrefix !== null,
          mfaReset: options.alsoResetMfa === true,
        },
      });
    }),
  );
  return { temporaryPassword: password.plaintext };
}
