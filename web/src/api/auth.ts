import type { ChangePasswordBody, LoginBody, SessionResponse } from '../../../src/shared/api/auth';
import type { SecondFactorRequiredResponse } from '../../../src/shared/api/mfa';
import { api, completed, dataOf, isApiError, setCsrfToken } from './client';
import type { Me } from './types';

/**
 * Logs in with an email or username; the server sets the session cookie
 * (docs/product/console.md#first-login-and-forced-password-change,
 * docs/product/security-settings.md#sessions-and-browser-security).
 */
export async function logIn(credentials: LoginBody): Promise<SessionResponse | SecondFactorRequiredResponse> {
  const result = await dataOf(api.POST('/auth/login', { body: credentials }));
  // With 2FA on there is no session yet: only a pending login that the second step completes.
  if ('csrfToken' in result) setCsrfToken(result.csrfToken);
  return result;
}

/** Ends this browser session. */
export async function logOut(): Promise<void> {
  try {
    await completed(api.POST('/auth/logout'));
  } finally {
    setCsrfToken(null);
  }
}

/**
 * Changes the caller's password (forced or voluntary). The server rotates the session id and the CSRF token,
 * so the token from this answer replaces the old one at once.
 */
export async function changePassword(request: ChangePasswordBody): Promise<SessionResponse> {
  const result = await dataOf(api.POST('/auth/password', { body: request }));
  setCsrfToken(result.csrfToken);
  return result;
}

/** The signed-in caller, or null when there is no session (401). */
export async function fetchMe(signal?: AbortSignal): Promise<Me | null> {
  try {
    const me = await dataOf(api.GET('/me', { signal }));
    if (me.csrfToken) setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (isApiError(error, { status: 401 })) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}
