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
import { apiRequest, setCsrfToken } from './client';

export type { MfaStatusResponse, SecondFactorRequiredResponse };

// Two-factor authentication (docs/product/console.md#two-factor-authentication).

/** The caller's 2FA: on or off, the methods, the authenticator app, recovery codes left, what the policy asks. */
export function fetchMfaStatus(signal?: AbortSignal): Promise<MfaStatusResponse> {
  return apiRequest<MfaStatusResponse>('/me/mfa', { signal });
}

/** Finishes a pending login with a code (TOTP or recovery code) or a security key's assertion. */
export async function submitSecondFactor(body: SecondFactor): Promise<SessionResponse> {
  const result = await apiRequest<SessionResponse>('/auth/second-factor', { method: 'POST', body });
  setCsrfToken(result.csrfToken);
  return result;
}

/** Options for **Use a security key** on the login's second step. */
export async function secondFactorKeyOptions(): Promise<AssertionOptions> {
  return (await apiRequest<{ options: AssertionOptions }>('/auth/second-factor/options', { method: 'POST' })).options;
}

/** Starts an authenticator-app setup: the seed as text and as an otpauth:// address, shown once. */
export function startTotpSetup(body: MfaChangeBody): Promise<StartTotpResponse> {
  return apiRequest<StartTotpResponse>('/me/mfa/totp', { method: 'POST', body });
}

/** Confirms the app with its first code; answers the recovery codes when this turned 2FA on. */
export function confirmTotpSetup(code: string): Promise<RecoveryCodesResponse> {
  return apiRequest<RecoveryCodesResponse>('/me/mfa/totp/confirm', { method: 'POST', body: { code } });
}

export function removeTotp(body: MfaChangeBody): Promise<void> {
  return apiRequest<void>('/me/mfa/totp', { method: 'DELETE', body });
}

/** A new set of ten recovery codes; the old ones stop working. */
export function regenerateRecoveryCodes(body: MfaChangeBody): Promise<RecoveryCodesResponse> {
  return apiRequest<RecoveryCodesResponse>('/me/mfa/recovery-codes', { method: 'POST', body });
}
