// Why the console is back on the login page, said there once (docs/product/console.md#log-in): the person logged out,
// or a session they were using ended under them (an administrator ended it, their password was reset or changed
// elsewhere, it expired, or they were removed). Kept in sessionStorage so that it survives the navigation to /login
// in this tab only; reading it forgets it.

export type SignOutReason = 'logged-out' | 'session-ended';

const key = 'roster.signOutReason';

export function rememberSignOutReason(reason: SignOutReason): void {
  try {
    sessionStorage.setItem(key, reason);
  } catch {
    // Storage refused (private mode quotas): the login page simply says nothing.
  }
}

export function hasSignOutReason(): boolean {
  try {
    return sessionStorage.getItem(key) !== null;
  } catch {
    return false;
  }
}

export function takeSignOutReason(): SignOutReason | null {
  try {
    const reason = sessionStorage.getItem(key);
    sessionStorage.removeItem(key);
    return reason === 'logged-out' || reason === 'session-ended' ? reason : null;
  } catch {
    return null;
  }
}

export const signOutMessages: Record<SignOutReason, { title: string; message: string }> = {
  'logged-out': { title: 'You have logged out', message: 'Log in again to continue.' },
  'session-ended': {
    title: 'Your session has ended',
    message:
      'An administrator signed you out, your password was reset or changed elsewhere, or the session expired. Log in again to continue.',
  },
};
