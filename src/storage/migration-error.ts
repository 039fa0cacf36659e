/**
 * A migration that failed; it was rolled back. Its own file so that `roster` can recognise it without loading the
 * migrations (docs/decisions/0022-test-run-speed.md: the CLI loads the server side only for server-side commands).
 */
export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    cause: unknown,
  ) {
    super(`Migration ${migration} failed and was rolled back; the schema is unchanged. Cause: ${describe(cause)}`, { cause });
    this.name = 'MigrationError';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
