import { readSecuritySettings } from '../../storage/queries/security-settings.js';
import type { Services } from '../context.js';
import { loginProviders } from './require-sso.js';

/**
 * What the login page offers (`GET /auth/login-methods`, docs/sso.md#the-login-page): one **Log in with <label>** per
 * identity provider, and whether password login is for everyone or, with Require SSO, for Owners only.
 */
export async function describeLoginMethods(services: Pick<Services, 'database'>) {
  const db = services.database.db;
  const [providers, settings] = await Promise.all([loginProviders(db), readSecuritySettings(db)]);
  return {
    identityProviders: providers.map((provider) => ({
      id: provider.id,
      label: provider.label,
      startUrl: `/auth/sso/${encodeURIComponent(provider.id)}/start`,
    })),
    passwordLogin: Number(settings.require_sso) === 1 ? ('owners' as const) : ('everyone' as const),
  };
}
