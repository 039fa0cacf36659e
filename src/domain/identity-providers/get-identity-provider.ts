import type { IdentityProvider } from '../../shared/api/identity-providers.js';
import { assertAllowed } from '../access/policies/enforce.js';
import { whyCannotManageIdentityProviders } from '../access/policies/identity-provider-policy.js';
import { callerSubject, type OperationContext } from '../context.js';
import { describeIdentityProvider } from './present-identity-provider.js';

/** `GET /identity-providers/:id` (docs/sso.md): one provider, never its secret; needs organization.identity_providers.manage. */
export async function getIdentityProvider(ctx: OperationContext, id: string): Promise<IdentityProvider> {
  assertAllowed(whyCannotManageIdentityProviders(callerSubject(ctx)));
  return describeIdentityProvider(ctx.database.db, ctx.config.publicUrl, id);
}
