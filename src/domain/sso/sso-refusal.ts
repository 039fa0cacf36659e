/**
 * Why a login or link through an identity provider was refused (docs/sso.md#when-a-login-is-refused). The browser is
 * sent to `/login?sso_error=<code>` (or `/profile?sso_error=<code>` for a link); the audit event keeps `reason`, which
 * may say more than the code. Nothing secret goes in either.
 */
export const ssoErrorCodes = [
  'provider_unavailable',
  'unknown_provider',
  'state_mismatch',
  'expired',
  'provider_error',
  'not_registered',
  'email_taken',
  'email_unverified',
  'email_missing',
  'account_removed',
  'account_locked',
  'sso_required',
  'identity_taken',
  'wrong_account',
  'login_not_fresh',
] as const;
export type SsoErrorCode = (typeof ssoErrorCodes)[number];

export class SsoRefusal extends Error {
  constructor(
    readonly code: SsoErrorCode,
    /** The audit log's reason when it says more than the code (e.g. `nonce_mismatch` for `provider_error`). */
    readonly reason: string = code,
    /** The person concerned, when known. */
    readonly target: { id: string; name: string } | null = null,
  ) {
    super(`SSO refused: ${reason}`);
    this.name = 'SsoRefusal';
  }
}
