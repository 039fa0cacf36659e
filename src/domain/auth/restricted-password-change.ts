import type { OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { maxPasswordLength, normalizePassword } from './password-policy.js';

/**
 * Whether the caller proved the password they are replacing. A restricted session (opened with a temporary password
 * that is now spent, docs/product/console.md#first-login-and-forced-password-change) already proved it at login, so it
 * may leave `currentPassword` out: the console then does not ask for the temporary password again after a reload.
 * Everyone else must send it. Returns the proven current password when one was sent, for the "must differ" rule.
 */
export async function proveCurrentPassword(
  ctx: OperationContext,
  account: { passwordHash: string; mustChangePassword: boolean },
  currentPassword: string | undefined,
  restrictedSession: boolean,
): Promise<{ ok: boolean; current?: string }> {
  if (currentPassword === undefined) return { ok: restrictedSession && account.mustChangePassword };
  const current = normalizePassword(currentPassword);
  const ok = [...current].length <= maxPasswordLength && (await ctx.hasher.verify(account.passwordHash, current));
  return { ok, current };
}

/**
 * Without the current password in hand, "the new password must differ from the current one" is checked against the
 * stored hash instead (docs/product/security-settings.md#passwords).
 */
export async function assertDiffersFromStored(ctx: OperationContext, passwordHash: string, newPassword: string): Promise<void> {
  const normalized = normalizePassword(newPassword);
  if ([...normalized].length > maxPasswordLength || !(await ctx.hasher.verify(passwordHash, normalized))) return;
  const message = 'The new password must differ from the current one.';
  throw new DomainError('password_policy', message, { errors: [{ field: '/newPassword', message }] });
}
