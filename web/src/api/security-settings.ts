import type { SecuritySettingsBody, SecuritySettingsResponse } from '../../../src/shared/api/mfa';
import { api, dataOf } from './client';

export { mfaGraceDaysMax, mfaPolicies } from '../../../src/shared/api/mfa';
export type { SecuritySettingsBody, SecuritySettingsResponse };

// Settings → Security (docs/product/console.md#security): the two-factor authentication policy. Owners only.

/** `GET /settings/security`: who must use 2FA, and the grace period. */
export function fetchSecuritySettings(signal?: AbortSignal): Promise<SecuritySettingsResponse> {
  return dataOf(api.GET('/settings/security', { signal }));
}

/** `PUT /settings/security`: the whole policy at once; answers it as stored. */
export function updateSecuritySettings(body: SecuritySettingsBody): Promise<SecuritySettingsResponse> {
  return dataOf(api.PUT('/settings/security', { body }));
}
