import { createHash, timingSafeEqual } from 'node:crypto';
import { findApplicationForProvider } from '../../storage/queries/oidc-provider-state.js';
import type { Services } from '../context.js';

function digestOf(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/**
 * Does `presented` match the application's secret? The stored value is a SHA-256 digest (hex); the comparison is
 * constant-time over digests. After a rotation the previous secret matches too until its overlap ends (24 hours).
 */
export async function clientSecretDigestMatches(services: Services, clientId: string, presented: string): Promise<boolean> {
  const application = await findApplicationForProvider(services.database.db, clientId);
  if (!application?.secret_digest) return false;
  const actual = digestOf(presented);
  const matches = (hex: string | null) => hex !== null && hex.length === 64 && timingSafeEqual(Buffer.from(hex, 'hex'), actual);
  if (matches(application.secret_digest)) return true;
  const overlapEnds = application.previous_secret_expires_at ? Date.parse(application.previous_secret_expires_at) : 0;
  return overlapEnds > services.now().getTime() && matches(application.previous_secret_digest);
}
