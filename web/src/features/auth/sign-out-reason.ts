// Why the console is back on the login page, said there once (docs/product/console.md#log-in): the person logged out,
// or a session they were using ended under them (an administrator ended it, their password was reset or changed
// elsewhere, it expired, or they were removed). Kept in sessionStorage so that it survives the navigation to /login
// in this tab only; reading it forgets it.

export type SignOutReason = 'logged-out' | 'session-ended';

const key = 'roster.signOutReason';

// What the login page took from storage, for every mount of it until the next sign-in or sign-out: logging out can
// mount the login page twice (once on the navigation, again when the session guard sees nobody signed in), and the
// second mount must say the same thing as the first, not nothing.
let taken: SignOutReason | null | undefined;

export function rememberSignOutReason(reason: SignOutReason): void {
  taken = undefined;
  try {
    sessionStorage.setItem(key, reason);
  } catch {
    // Storage refused (private mode quotas): the login page simply says nothing.
  }
}

/** True while a reason waits to be said, or is being said by the login page (logging out is not a session ending). */
export function hasSignOutReason(): boolean {
  if (taken !== undefined && taken !== null) return true;
  try {
    return sessionStorage.getItem(key) !== null;
  } catch {
    return false;
  }
}

export function takeSignOutReason(): SignOutReason | null {
  if (taken !== undefined) return taken;
  try {
    const reason = sessionStorage.getItem(key);
    sessionStorage.removeItem(key);
    taken = reason === 'logged-out' || reason === 'session-ended' ? reason : null;
  } catch {
    taken = null;
  }
  return taken;
}

/** After a sign-in: the next visit to the login page has nothing to explain until someone signs out again. */
export function forgetSignOutReason(): void {
  taken = null;
  try {
    sessionStorage.removeItem(key);
  } catch {
    // nothing to forget
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
