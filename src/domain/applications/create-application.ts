import { randomUUID } from 'node:crypto';
import type { CreateApplicationBody, CreateApplicationResponse } from '../../shared/api/applications.js';
import { insertApplication, replaceApplicationGroups } from '../../storage/queries/applications.js';
import { whyCannotCreateApplication } from '../access/policies/application-policy.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { reloadActor } from '../people/load-person.js';
import { assertValidApplication, normalizeApplicationName, resolveAllowedGroups } from './application-rules.js';
import { clientSecretDigest, generateClientId, generateClientSecret } from './client-secret.js';
import { describeApplication } from './present-application.js';

/**
 * `POST /applications` (SPEC §12.1, docs/product/api.md#applications): registers a relying party in one transaction
 * with its allowed groups and one audit event. Needs `organization.applications.manage`; first-party, `authorizeApi`
 * and `rosterApi` need `organization.applications.trust` too. A confidential application gets a client secret,
 * answered here once; only its digest is stored.
 */
export async function createApplication(ctx: OperationContext, body: CreateApplicationBody): Promise<CreateApplicationResponse> {
  const actor = callerSubject(ctx);
  const name = normalizeApplicationName(body.name);
  const confidential = body.type === 'confidential';
  const flags = { firstParty: body.firstParty ?? false, authorizeApi: body.authorizeApi ?? false, rosterApi: body.rosterApi ?? false };
  const redirectUris = body.redirectUris;
  const postLogoutRedirectUris = body.postLogoutRedirectUris ?? [];
  assertValidApplication({ name, confidential, redirectUris, postLogoutRedirectUris, authorizeApi: flags.authorizeApi });
  const now = ctx.now().toISOString();
  const id = randomUUID();
  const clientId = generateClientId();
  const clientSecret = confidential ? generateClientSecret() : undefined;
  const actorAfter = await recordDenials(ctx, { action: 'application.created', target: { type: 'application', id: null, name } }, () =>
    ctx.database.transact(async (trx) => {
      const fresh = await reloadActor(trx, actor);
      assertAllowed(whyCannotCreateApplication(fresh, flags));
      const groupIds = await resolveAllowedGroups(trx, body.allowedGroupIds);
      await insertApplication(trx, {
        id,
        client_id: clientId,
        name,
        type: body.type,
        redirect_uris: JSON.stringify(redirectUris),
        post_logout_redirect_uris: JSON.stringify(postLogoutRedirectUris),
        first_party: flags.firstParty ? 1 : 0,
        authorize_api: flags.authorizeApi ? 1 : 0,
        roster_api: flags.rosterApi ? 1 : 0,
        restricted_to_groups: groupIds === null ? 0 : 1,
        secret_digest: clientSecret === undefined ? null : clientSecretDigest(clientSecret),
        previous_secret_digest: null,
        previous_secret_expires_at: null,
        created_by: fresh.userId,
        created_at: now,
        updated_at: now,
      });
      if (groupIds) await replaceApplicationGroups(trx, id, groupIds);
      await recordAuditEvent(ctx, trx, {
        action: 'application.created',
        target: { type: 'application', id, name },
        details: {
          clientId,
          type: body.type,
          redirectUris,
          postLogoutRedirectUris,
          ...flags,
          allowedGroupIds: groupIds,
        },
      });
      return fresh;
    }),
  );
  const application = await describeApplication(ctx.database.db, actorAfter, id, ctx.now());
  return clientSecret === undefined ? { application } : { application, clientSecret };
}
