import { queryOptions } from '@tanstack/react-query';
import { fetchSecuritySettings } from '../../api/security-settings';

export const securitySettingsKey = ['settings', 'security'] as const;

/** Settings → Security as stored: read fresh whenever the page opens, since another Owner may have changed it. */
export const securitySettingsOptions = queryOptions({
  queryKey: securitySettingsKey,
  queryFn: ({ signal }) => fetchSecuritySettings(signal),
  staleTime: 0,
});
