import type { Services } from '../context.js';

export interface BackupKeyNote {
  /** Always false: a backup never carries the key that decrypts its secrets. */
  included: false;
  keyId: string | null;
  keyFile: string | null;
  warning: string;
}

/**
 * What `roster backup` says about the secret key (docs/product/security-settings.md#secrets-the-server-reads-back): the
 * backup holds encrypted secrets but not their key, so the key must be kept too — apart from the backup, since
 * together they are the secrets in clear.
 */
export function describeKeyForBackup(services: Pick<Services, 'secrets'>): BackupKeyNote {
  const { status } = services.secrets;
  if (status.state === 'ready') {
    const where =
      status.source === 'environment'
        ? 'ROSTER_SECRET_KEY'
        : status.source === 'key-file'
          ? `the key file ${status.keyFile}`
          : 'the in-memory key (lost when the process ends)';
    return {
      included: false,
      keyId: status.currentKeyId,
      keyFile: status.keyFile,
      warning:
        `Warning: the secret key is not in this backup. Keep ${where} (key ${status.currentKeyId}` +
        `${status.keyIds.length > 1 ? `, and older keys ${status.keyIds.slice(1).join(', ')}` : ''}) safe and apart from it: ` +
        'without the key, the encrypted secrets in the backup cannot be read after a restore.',
    };
  }
  return {
    included: false,
    keyId: null,
    keyFile: status.keyFile,
    warning:
      status.state === 'unusable'
        ? `Warning: the secret key is not in this backup, and the configured key does not fit this database: ${status.detail}`
        : 'Note: the secret key is not in this backup (none is in use yet); once one is, keep it apart from the backups.',
  };
}
