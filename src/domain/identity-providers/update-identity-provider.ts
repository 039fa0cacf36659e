import type { IdentityProvider, UpdateIdentityProviderBody } from '../../shared/api/identity-providers.js';
import { replaceGroupMappings, updateIdentityProviderRow } from '../../storage/queries/identity-providers.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotManageIdentityProviders, whyCannotMapGroups } from '../access/policies/identity-provider-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { reloadActor } from '../people/load-person.js';
import { requireSecretKey } from '../secrets/require-secret-key.js';
import { clientSecretField, identityProvidersFeature } from './client-secret-field.js';
import {
  assertValidIdentityProvider,
  normalizeLabel,
  normalizeScopes,
  type ResolvedMapping,
  resolveGroupMappings,
  sameMappings,
} from './identity-provider-rules.js';
import { loadIdentityProviderForWrite } from './load-identity-provider.js';
import { describeIdentityProvider, parseScopes } from './present-identity-provider.js';

/**
 * `PATCH /identity-providers/:id` (docs/sso.md): any field, in one transaction under the provider's row lock, with one
 * audit event listing what changed (nothing changed, nothing recorded). `clientSecret` replaces the stored secret (the
 * event says `clientSecret: "replaced"`, never the value; needs the secret store); `groupMappings` replaces every
 * mapping, and a mapping it adds onto a group with an instance role or project access needs an Owner. Needs
 * organization.identity_providers.manage.
 */
export async function updateIdentityProvider(
  ctx: OperationContext,
  id: string,
  body: UpdateIdentityProviderBody,
): Promise<IdentityProvider> {
  const actor = callerSubject(ctx);
  await recordDenials(ctx, { action: 'identity_provider.updated', target: { type: 'identity_provider', id, name: null } }, () =>
    ctx.database.transact(async (trx) => {
      const fresh = await reloadActor(trx, actor);
      assertAllowed(whyCannotManageIdentityProviders(fresh));
      const keyring = body.clientSecret === undefined ? null : requireSecretKey(ctx, identityProvidersFeature);
      const { row, mappings: currentMappings } = await loadIdentityProviderForWrite(trx, id);
      const before = {
        label: row.label,
        issuer: row.issuer,
        clientId: row.client_id,
        scopes: parseScopes(row.scopes),
        usernameClaim: row.username_claim,
        emailClaim: row.email_claim,
        groupsClaim: row.groups_claim,
        createUnknown: row.create_unknown === 1,
        linkVerifiedEmail: row.link_verified_email === 1,
        enforces2fa: row.enforces_2fa === 1,
        groupMappings: currentMappings as ResolvedMapping[],
      };
      let groupMappings = before.groupMappings;
      if (body.groupMappings !== undefined) {
        const resolved = await resolveGroupMappings(trx, body.groupMappings);
        groupMappings = resolved.mappings;
        const kept = new Set(before.groupMappings.map((m) => m.groupId));
        const added = [...resolved.groups.values()].filter((group) => !kept.has(group.id));
        assertAllowed(whyCannotMapGroups(fresh, added));
      }
      const after: typeof before = {
        label: body.label === undefined ? before.label : normalizeLabel(body.label),
        issuer: body.issuer === undefined ? before.issuer : body.issuer.trim(),
        clientId: body.clientId ?? before.clientId,
        scopes: body.scopes === undefined ? before.scopes : normalizeScopes(body.scopes),
        usernameClaim: body.usernameClaim ?? before.usernameClaim,
        emailClaim: body.emailClaim ?? before.emailClaim,
        groupsClaim: body.groupsClaim ?? before.groupsClaim,
        createUnknown: body.createUnknown ?? before.createUnknown,
        linkVerifiedEmail: body.linkVerifiedEmail ?? before.linkVerifiedEmail,
        enforces2fa: body.enforces2fa ?? before.enforces2fa,
        groupMappings,
      };
      assertValidIdentityProvider(after);
      const changed = (Object.keys(after) as Array<keyof typeof after>).filter((key) =>
        key === 'groupMappings'
          ? !sameMappings(before.groupMappings, after.groupMappings)
          : JSON.stringify(before[key]) !== JSON.stringify(after[key]),
      );
      if (changed.length === 0 && keyring === null) return;

      await updateIdentityProviderRow(trx, id, {
        label: after.label,
        issuer: after.issuer,
        client_id: after.clientId,
        scopes: after.scopes.join(' '),
        username_claim: after.usernameClaim,
        email_claim: after.emailClaim,
        groups_claim: after.groupsClaim,
        create_unknown: after.createUnknown ? 1 : 0,
        link_verified_email: after.linkVerifiedEmail ? 1 : 0,
        enforces_2fa: after.enforces2fa ? 1 : 0,
        ...(keyring && body.clientSecret !== undefined ? { client_secret: keyring.encrypt(clientSecretField(id), body.clientSecret) } : {}),
        updated_at: ctx.now().toISOString(),
      });
      if (changed.includes('groupMappings')) await replaceGroupMappings(trx, id, after.groupMappings);
      await recordAuditEvent(ctx, trx, {
        action: 'identity_provider.updated',
        target: { type: 'identity_provider', id, name: after.label },
        details: {
          ...Object.fromEntries(changed.map((key) => [key, { from: before[key], to: after[key] }])),
          ...(keyring ? { clientSecret: 'replaced' } : {}),
        },
      });
    }),
  );
  return describeIdentityProvider(ctx.database.db, ctx.config.publicUrl, id);
}
