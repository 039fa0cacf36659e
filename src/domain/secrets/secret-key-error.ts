export type SecretKeyErrorCode = 'secret_key_missing' | 'secret_key_mismatch' | 'secret_key_unreadable';

/**
 * The server does not start: the message says which key is wrong or missing and what to do. It never holds a key. Its
 * own file so that `roster` can recognise it without loading the secret store (docs/decisions/0022-test-run-speed.md).
 */
export class SecretKeyError extends Error {
  constructor(
    readonly code: SecretKeyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SecretKeyError';
  }
}
