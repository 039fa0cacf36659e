import { isApiError } from '../../api/client';

/** The login error to show, by stable error code (docs/product/api.md#errors). */
export function loginErrorMessage(error: unknown): string {
  if (!isApiError(error)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'invalid_credentials':
      return 'Incorrect email/username or password.';
    case 'network_error':
      return error.detail;
    default:
      return error.detail || error.title;
  }
}

/** "42 seconds", "1 minute", "3 minutes": the wait before the next login attempt. */
export function formatWait(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
