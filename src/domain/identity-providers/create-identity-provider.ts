import { randomUUID } from 'node:crypto';
import {
  type CreateIdentityProviderBody,
  type CreateIdentityProviderResponse,
  defaultEmailClaim,
  defaultGroupsClaim,
  defaultIdentityProviderScopes,
  defaultUsernameClaim,
} from '../../shared/api/identity-providers.js';
import { insertIdentityProvider, replaceGroupMappings } from '../../storage/queries/identity-providers.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotManageIdentityProviders, whyCannotMapGroups } from '../access/policies/identity-provider-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { reloadActor } from '../people/load-person.js';
import { requireSecretKey } from '../secrets/require-secret-key.js';
import { clientSecretField, identityProvidersFeature } from './client-secret-field.js';
import { assertValidIdentityProvider, normalizeLabel, normalizeScopes, resolveGroupMappings } from './identity-provider-rules.js';
import { describeIdentityProvider } from './present-identity-provider.js';

/**
 * `POST /identity-providers` (SPEC §12.2, docs/sso.md): registers a company identity provider in one transaction with
 * its group mappings and one audit event (never the secret). Needs `organization.identity_providers.manage`, a mapping
 * onto a group with an instance role or project access needs an Owner, and the client secret needs the secret store
 * (503 `secret_key_missing` without a key, nothing written): it is stored encrypted, bound to this row.
 */
export async function createIdentityProvider(
  ctx: OperationContext,
  body: CreateIdentityProviderBody,
): Promise<CreateIdentityProviderResponse> {
  const actor = callerSubject(ctx);
  const label = normalizeLabel(body.label);
  const issuer = body.issuer.trim();
  const scopes = normalizeScopes(body.scopes ?? defaultIdentityProviderScopes);
  const id = randomUUID();
  await recordDenials(ctx, { action: 'identity_provider.created', target: { type: 'identity_provider', id: null, name: label } }, () =>
    ctx.database.transact(async (trx) => {
      const fresh = await reloadActor(trx, actor);
      assertAllowed(whyCannotManageIdentityProviders(fresh));
      const keyring = requireSecretKey(ctx, identityProvidersFeature);
      assertValidIdentityProvider({ label, issuer, scopes });
      const { mappings, groups } = await resolveGroupMappings(trx, body.groupMappings ?? []);
      assertAllowed(whyCannotMapGroups(fresh, [...groups.values()]));
      const now = ctx.now().toISOString();
      const settings = {
        usernameClaim: body.usernameClaim ?? defaultUsernameClaim,
        emailClaim: body.emailClaim ?? defaultEmailClaim,
        groupsClaim: body.groupsClaim ?? defaultGroupsClaim,
        createUnknown: body.createUnknown,
        linkVerifiedEmail: body.linkVerifiedEmail,
        enforces2fa: body.enforces2fa ?? false,
      };
      await insertIdentityProvider(trx, {
        id,
        label,
        issuer,
        client_id: body.clientId,
        client_secret: keyring.encrypt(clientSecretField(id), body.clientSecret),
        scopes: scopes.join(' '),
        username_claim: settings.usernameClaim,
        email_claim: settings.emailClaim,
        groups_claim: settings.groupsClaim,
        create_unknown: settings.createUnknown ? 1 : 0,
        link_verified_email: settings.linkVerifiedEmail ? 1 : 0,
        enforces_2fa: settings.enforces2fa ? 1 : 0,
        created_at: now,
        updated_at: now,
        created_by: fresh.userId,
      });
      await replaceGroupMappings(trx, id, mappings);
      await recordAuditEvent(ctx, trx, {
        action: 'identity_provider.created',
        target: { type: 'identity_provider', id, name: label },
        details: { label, issuer, clientId: body.clientId, scopes, ...settings, groupMappings: mappings },
      });
    }),
  );
  return { identityProvider: await describeIdentityProvider(ctx.database.db, ctx.config.publicUrl, id) };
}
