// What went wrong with a login or a link through a company identity provider, in plain words. The server sends the
// person back with `?sso_error=<code>` (/login for a login, /profile for a link; issue 16 part 2); the
// codes are stable, the words are the console's. A code this console does not know yet gets the general sentence.

const ssoErrorMessages: Readonly<Record<string, string>> = {
  provider_unavailable: 'The provider could not be reached. Try again in a moment, or use another way to log in.',
  unknown_provider: 'That identity provider is no longer set up on this server. Use another way to log in.',
  state_mismatch: 'The login was started in another browser, or its answer did not match it. Start again from this page.',
  expired: 'The login took too long. Start again from this page.',
  provider_error: 'The provider refused the login. Try again, or ask your administrator.',
  not_registered: 'No account for this login: this server does not create accounts at the first login. Ask an Owner or Admin for access.',
  email_taken:
    'An account with this email already exists. Log in with your password, then link the provider in Profile settings → Linked accounts.',
  email_unverified:
    'The identity provider did not confirm that your email address is verified, so Roster cannot match it to an account. Ask your administrator.',
  account_removed: 'Your Roster account was removed. Ask an Owner or Admin of this server if you need access again.',
  account_locked: 'Your Roster account is locked after too many failed logins. Try again later, or ask an Owner or Admin to unlock it.',
  sso_required: 'Your organization requires you to log in with its identity provider.',
  identity_taken: 'That account at the identity provider is already linked to another Roster account.',
  wrong_account: 'You logged in at the identity provider with an account that is not linked to you. Confirm again with your own account.',
  login_not_fresh: 'The identity provider did not ask you to log in again just now. Try again.',
};

const generalSsoError = 'Logging in with the identity provider did not work. Try again, or use another way to log in.';

/** The sentence for an `sso_error` code; unknown codes get a general one (never the raw code). */
export function ssoErrorMessage(code: string): string {
  return Object.hasOwn(ssoErrorMessages, code) ? (ssoErrorMessages[code] ?? generalSsoError) : generalSsoError;
}
