import { exitCodes } from './output.js';

/** A failure the CLI reports as `error: <message> (<code>)` with a chosen exit code (docs/product/running.md#command-line). */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number = exitCodes.error,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Wrong or missing arguments: exit code 2. */
export function usageError(message: string): CliError {
  return new CliError('usage', message, exitCodes.usage);
}
