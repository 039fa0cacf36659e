import { can } from '../access/authorize.js';
import type { Services } from '../context.js';
import { verifyApiTokenSubject } from '../tokens/verify-api-token.js';

/**
 * Whether a bearer token may read `/metrics` from an address outside ROSTER_METRICS_ALLOW
 * (docs/product/running.md#health-and-metrics): an active account, past its forced password change, whose roles hold
 * `organization.metrics.view` (Owners). Anything else, a malformed or revoked token included, is simply "no".
 */
export async function mayReadMetrics(services: Services, token: string): Promise<boolean> {
  const verified = await verifyApiTokenSubject(services, token);
  if (!verified.ok || verified.mustChangePassword) return false;
  return can(verified.subject, 'organization.metrics.view');
}
