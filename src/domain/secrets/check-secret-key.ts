import fs from 'node:fs';
import type { Services } from '../context.js';
import { openKeyFileBits, secretKeyFilePath } from './open-secret-store.js';

export interface SecretKeyCheck {
  ok: boolean;
  detail: string;
}

/**
 * `roster doctor`'s view of the secret key (docs/product/security-settings.md#secrets-the-server-reads-back): present,
 * readable, a key file only its owner can read, and the canary decrypts. Services must come from an inspecting open
 * (`openServices(config, { migrate: false })`), which reports instead of throwing.
 */
export function checkSecretKey(services: Pick<Services, 'secrets' | 'config'>): SecretKeyCheck {
  const { status } = services.secrets;
  if (status.state === 'unusable') return { ok: false, detail: status.detail };
  if (status.state === 'missing') return { ok: true, detail: status.detail };
  const parts: string[] = [];
  const problems: string[] = [];
  if (status.source === 'environment') parts.push(`ROSTER_SECRET_KEY (key ${status.currentKeyId})`);
  else if (status.source === 'key-file') parts.push(`key file ${status.keyFile} (key ${status.currentKeyId})`);
  else parts.push(`in-memory key ${status.currentKeyId}`);
  if (status.keyIds.length > 1) parts.push(`older keys ${status.keyIds.slice(1).join(', ')}`);
  if (status.keyFile) {
    const mode = fs.statSync(status.keyFile).mode;
    const open = openKeyFileBits(mode);
    if (open !== 0) problems.push(`the key file has mode 0${(mode & 0o777).toString(8)}: run chmod 600 ${status.keyFile}`);
    else if (process.platform !== 'win32') parts.push('mode 0600');
  }
  const ignoredFile = status.source === 'environment' ? secretKeyFilePath(services.config) : null;
  if (ignoredFile && fs.existsSync(ignoredFile)) parts.push(`${ignoredFile} is ignored while ROSTER_SECRET_KEY is set`);
  if (status.canaryKeyId === null) parts.push('canary not written yet (the next start writes it)');
  else if (status.canaryKeyId === status.currentKeyId) parts.push('canary decrypts');
  else parts.push(`canary decrypts under the older key ${status.canaryKeyId}: run "roster secrets rekey"`);
  return { ok: problems.length === 0, detail: [...problems, ...parts].join('; ') };
}
