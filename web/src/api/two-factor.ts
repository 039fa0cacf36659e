import type { SessionResponse } from '../../../src/shared/api/auth';
import type {
  MfaChangeBody,
  MfaStatusResponse,
  RecoveryCodesResponse,
  SecondFactor,
  SecondFactorRequiredResponse,
  StartTotpResponse,
} from '../../../src/shared/api/mfa';
import type { AssertionOptions } from '../../../src/shared/api/webauthn';
import { api, completed, dataOf, setCsrfToken } from './client';

export type { MfaStatusResponse, SecondFactorRequiredResponse };

// Two-factor authentication (docs/product/console.md#two-factor-authentication).

/** The caller's 2FA: on or off, the methods, the authenticator app, recovery codes left, what the policy asks. */
export function fetchMfaStatus(signal?: AbortSignal): Promise<MfaStatusResponse> {
  return dataOf(api.GET('/me/mfa', { signal }));
}

/** Finishes a pending login with a code (TOTP or recovery code) or a security key's assertion. */
export async function submitSecondFactor(body: SecondFactor): Promise<SessionResponse> {
  const result = await dataOf(api.POST('/auth/second-factor', { body }));
  setCsrfToken(result.csrfToken);
  return result;
}

/** Options for **Use a security key** on the login's second step. */
export async function secondFactorKeyOptions(): Promise<AssertionOptions> {
  return (await dataOf(api.POST('/auth/second-factor/options'))).options;
}

/** Starts an authenticator-app setup: the seed as text and as an otpauth:// address, shown once. */
export function startTotpSetup(body: MfaChangeBody): Promise<StartTotpResponse> {
  return dataOf(api.POST('/me/mfa/totp', { body }));
}

/** Confirms the app with its first code; answers the recovery codes when this turned 2FA on. */
export function confirmTotpSetup(code: string): Promise<RecoveryCodesResponse> {
  return dataOf(api.POST('/me/mfa/totp/confirm', { body: { code } }));
}

export function removeTotp(body: MfaChangeBody): Promise<void> {
  return completed(api.DELETE('/me/mfa/totp', { body }));
}

/** A new set of ten recovery codes; the old ones stop working. */
export function regenerateRecoveryCodes(body: MfaChangeBody): Promise<RecoveryCodesResponse> {
  return dataOf(api.POST('/me/mfa/recovery-codes', { body }));
}
