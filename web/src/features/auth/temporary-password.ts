// The temporary password the user just typed on the login page, kept in memory only, so that the forced
// "Set a new password" step (docs/product/console.md#first-login-and-forced-password-change) does not ask for it a
// second time. A reload forgets it; the page then asks.
let temporaryPassword: string | null = null;

export function rememberTemporaryPassword(password: string): void {
  temporaryPassword = password;
}

export function recallTemporaryPassword(): string | null {
  return temporaryPassword;
}

export function forgetTemporaryPassword(): void {
  temporaryPassword = null;
}
