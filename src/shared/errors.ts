/**
 * Stable error codes (docs/product/api.md#errors). One error handler maps them to HTTP statuses and the console shows
 * messages by code. Codes are part of the API contract: add new ones, never rename.
 */
export const errorCatalogue = {
  validation_failed: { status: 400, title: 'The request is not valid.' },
  invalid_json: { status: 400, title: 'The request body is not valid JSON.' },
  password_policy: { status: 400, title: 'The new password does not meet the password policy.' },
  invalid_username: { status: 400, title: 'The username is not allowed.' },
  invalid_email: { status: 400, title: 'The email address is not valid.' },
  invalid_second_factor: { status: 400, title: 'The second-factor code is not correct.' },
  invalid_credentials: { status: 401, title: 'Incorrect email/username or password.' },
  unauthenticated: { status: 401, title: 'You need to log in.' },
  invalid_token: { status: 401, title: 'The API token is not valid.' },
  token_expired: { status: 401, title: 'The API token has expired.' },
  service_account_deactivated: { status: 401, title: 'The service account is deactivated.' },
  password_change_required: { status: 403, title: 'You must set a new password before you continue.' },
  mfa_required: { status: 403, title: 'This change needs your second factor too.' },
  mfa_setup_required: { status: 403, title: 'You must set up two-factor authentication before you continue.' },
  invalid_current_password: { status: 403, title: 'The current password is not correct.' },
  reauthentication_required: {
    status: 403,
    title: 'You have no password: confirm it is you by logging in again with your identity provider, then try within 5 minutes.',
  },
  forbidden: { status: 403, title: 'You are not allowed to do this.' },
  sso_required: { status: 403, title: 'Your organization requires you to log in with its identity provider.' },
  csrf_failed: { status: 403, title: 'The request failed the cross-site request check. Reload the page and try again.' },
  role_read_only: { status: 403, title: 'Predefined roles cannot be changed.' },
  not_found: { status: 404, title: 'Not found.' },
  interaction_not_found: { status: 404, title: 'This sign-in request has expired. Go back to the application and start again.' },
  method_not_allowed: { status: 405, title: 'Method not allowed.' },
  request_timeout: { status: 408, title: 'The request took too long to arrive.' },
  last_owner: { status: 409, title: 'The instance must keep at least one Owner.' },
  user_owns_projects: { status: 409, title: 'The user owns projects; transfer them first.' },
  username_taken: { status: 409, title: 'That username is already taken.' },
  email_taken: { status: 409, title: 'That email address is already in use.' },
  name_taken: { status: 409, title: 'That name is already taken.' },
  conflict: { status: 409, title: 'The request conflicts with the current state.' },
  last_login_method: { status: 409, title: 'This is your only way to log in: set a password or link another provider first.' },
  payload_too_large: { status: 413, title: 'The request body is too large.' },
  headers_too_large: { status: 431, title: 'The request headers are too large.' },
  unsupported_media_type: { status: 415, title: 'Only application/json request bodies are accepted.' },
  rate_limited: { status: 429, title: 'Too many attempts. Try again later.' },
  webauthn_unavailable: { status: 400, title: 'Security keys and passkeys are not available on this server.' },
  webauthn_failed: { status: 400, title: 'The security key or passkey could not be verified. Try again.' },
  passkey_not_accepted: { status: 401, title: 'That passkey was not accepted. Try again, or sign in with your password.' },
  internal_error: { status: 500, title: 'Something went wrong on the server.' },
  storage_unavailable: { status: 503, title: 'The database is not reachable. Try again shortly.' },
  secret_key_missing: { status: 503, title: 'This feature needs ROSTER_SECRET_KEY, which the server does not have.' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export interface FieldError {
  /** JSON pointer-ish path of the offending field, e.g. `/accounts/2/email`. */
  field: string;
  message: string;
}

/** The `application/problem+json` body every error response carries. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
  [extra: string]: unknown;
}
