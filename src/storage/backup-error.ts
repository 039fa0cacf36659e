/**
 * A backup or restore that could not be done; the message says what to do about it. Its own file so that `roster` can
 * recognise it without loading the database drivers (docs/decisions/0022-test-run-speed.md).
 */
export class BackupError extends Error {
  constructor(
    readonly code: 'backup_failed' | 'restore_failed' | 'tool_missing' | 'invalid_backup',
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}
