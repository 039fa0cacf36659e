import type { Executor } from '../../storage/database.js';
import { pageOfIdentityProviders } from '../../storage/queries/identity-providers.js';
import { readSecuritySettings } from '../../storage/queries/security-settings.js';
import { loadAccessSubject } from '../access/load-access-subject.js';
import { keepsPasswordLoginUnderRequiredSso } from '../access/policies/identity-provider-policy.js';

/** More providers than any instance registers; the login page lists them all. */
const providersListed = 100;

/** The providers offered on the login page, by label. */
export async function loginProviders(db: Executor) {
  return pageOfIdentityProviders(db, null, providersListed);
}

/**
 * Settings → Security "Require SSO" (SPEC §12.2, docs/sso.md#requiring-sso): when on, a right password or passkey of
 * anyone but an Owner (by effective role) is refused with this sentence, naming the providers to use. Null when the
 * login may go on. Owners keep their password, so that a broken provider cannot lock the instance out.
 */
export async function whySsoIsRequired(db: Executor, userId: string): Promise<string | null> {
  const settings = await readSecuritySettings(db);
  if (Number(settings.require_sso) !== 1) return null;
  const subject = await loadAccessSubject(db, userId);
  if (subject && keepsPasswordLoginUnderRequiredSso(subject)) return null;
  const labels = (await loginProviders(db)).map((provider) => provider.label);
  const names = labels.length > 0 ? labels.join(' or ') : 'your identity provider';
  return `Your organization requires you to log in with ${names}.`;
}
