// The addresses of an application's sign-in in the console (`/interaction/:uid`), and the safe way back to one after
// a step on another page (setting a password, setting up 2FA).

/** An interaction path exactly: the provider's uids are URL-safe (nanoid), so nothing to decode, no query, no host. */
const interactionPathPattern = /^\/interaction\/[A-Za-z0-9_-]{1,128}$/;

/** The console page of the sign-in request `uid`. */
export function interactionPath(uid: string): string {
  return `/interaction/${encodeURIComponent(uid)}`;
}

/**
 * `raw` when it is the path of a sign-in request, else null. Pages that honour `?next=` for an application's sign-in
 * accept nothing else, so a crafted link cannot send someone who just set a password anywhere else.
 */
export function safeInteractionPath(raw: string | null): string | null {
  return raw !== null && interactionPathPattern.test(raw) ? raw : null;
}

/**
 * The page where a restricted session finishes its step, coming back to the sign-in request afterwards: Profile
 * settings, where a temporary-password session sees only **Set a new password** and the 2FA section sets 2FA up.
 */
export function stepPathFor(uid: string, step: 'password_change' | 'mfa_setup'): string {
  const next = `/profile?next=${encodeURIComponent(interactionPath(uid))}`;
  return step === 'mfa_setup' ? `${next}#two-factor` : next;
}
