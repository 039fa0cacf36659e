import { type ErrorCode, errorCatalogue, type FieldError } from '../shared/errors.js';

/**
 * The one error type the domain throws. The server's error handler turns it into problem+json; the CLI prints its
 * code and message. `extra` adds documented members to the problem body (e.g. `projects` for `user_owns_projects`).
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly extra: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(detail ?? errorCatalogue[code].title);
    this.name = 'DomainError';
  }

  get status(): number {
    return errorCatalogue[this.code].status;
  }
}
