import { organizationRoleRank } from '../../../shared/permissions.js';
import { type AccessSubject, effectiveRoleName } from '../authorize.js';

/**
 * The 2FA policy of Settings → Security (docs/product/security-settings.md#two-factor-authentication): nobody (the
 * default), Owners and Admins (by effective role, so an Admin by group is in scope), or everyone, with a grace period
 * that starts at the latest of the policy change, the account's creation and its last 2FA reset.
 */

/** The policy asks 2FA of this person. Never of a service account: it has no login to protect, only its token. */
export function mfaRequiredOf(subject: AccessSubject): boolean {
  if (subject.type === 'service_account') return false;
  const policy = subject.mfa?.policy ?? 'none';
  if (policy === 'everyone') return true;
  return policy === 'admins' && organizationRoleRank(effectiveRoleName(subject)) >= organizationRoleRank('admin');
}

/** When the person's grace period ends (whether or not the policy asks 2FA of them). */
export function mfaGraceEndsAt(subject: AccessSubject): Date | null {
  if (!subject.mfa) return null;
  return new Date(Date.parse(subject.mfa.graceStartsAt) + subject.mfa.graceDays * 86_400_000);
}

/**
 * In scope, without a second factor, and past the grace period: the person's session may only set 2FA up, and their
 * personal token is refused (403 `mfa_setup_required`). A session whose identity provider showed its own second factor
 * (`byProvider`, docs/sso.md#two-factor-authentication) satisfies the policy.
 */
export function mustSetUpMfa(subject: AccessSubject, now: Date): boolean {
  if (!subject.mfa || subject.mfa.enabled || subject.mfa.byProvider || !mfaRequiredOf(subject)) return false;
  const end = mfaGraceEndsAt(subject);
  return end !== null && now.getTime() >= end.getTime();
}
