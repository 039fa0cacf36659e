import type { Application, UpdateApplicationBody } from '../../shared/api/applications.js';
import { replaceApplicationGroups, updateApplicationRow } from '../../storage/queries/applications.js';
import { deletePayloadsOfClient, deletePayloadsOfClientExceptMembers } from '../../storage/queries/oidc-payloads.js';
import { whyCannotUpdateApplication } from '../access/policies/application-policy.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { reloadActor } from '../people/load-person.js';
import { assertValidApplication, normalizeApplicationName, resolveAllowedGroups } from './application-rules.js';
import { loadApplicationForWrite } from './load-application.js';
import { describeApplication, parseStringList, trustFlagsOf } from './present-application.js';

/** null: everyone may sign in; a list (possibly emptied by group deletions): only members of those groups. */
function sameGroups(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

/**
 * `PATCH /applications/:id` (docs/product/api.md#applications): name, redirect URIs, trust flags and allowed groups,
 * in one transaction under the application's row lock, with one audit event listing what changed (nothing changed,
 * nothing recorded). The type never changes. Needs organization.applications.manage; a trusted application, or a
 * change that sets a trust flag, needs organization.applications.trust too (application-policy.ts).
 *
 * Revocations in the same transaction: narrowing who may sign in deletes the provider objects (codes, tokens, grants)
 * of every person who is no longer allowed; switching `authorizeApi` or `rosterApi` off deletes every object of the
 * application, so no token keeps a power the application lost. Changing redirect URIs revokes nothing.
 */
export async function updateApplication(ctx: OperationContext, id: string, body: UpdateApplicationBody): Promise<Application> {
  const actor = callerSubject(ctx);
  const actorAfter = await recordDenials(ctx, { action: 'application.updated', target: { type: 'application', id, name: null } }, () =>
    ctx.database.transact(async (trx) => {
      const fresh = await reloadActor(trx, actor);
      const { row, groupIds: currentGroupIds } = await loadApplicationForWrite(trx, id);
      const current = trustFlagsOf(row);
      const next = {
        firstParty: body.firstParty ?? current.firstParty,
        authorizeApi: body.authorizeApi ?? current.authorizeApi,
        rosterApi: body.rosterApi ?? current.rosterApi,
      };
      assertAllowed(whyCannotUpdateApplication(fresh, current, next));
      const before = {
        name: row.name,
        redirectUris: parseStringList(row.redirect_uris),
        postLogoutRedirectUris: parseStringList(row.post_logout_redirect_uris),
        ...current,
        allowedGroupIds: row.restricted_to_groups === 1 ? currentGroupIds : null,
      };
      const after = {
        name: body.name === undefined ? before.name : normalizeApplicationName(body.name),
        redirectUris: body.redirectUris ?? before.redirectUris,
        postLogoutRedirectUris: body.postLogoutRedirectUris ?? before.postLogoutRedirectUris,
        ...next,
        allowedGroupIds:
          body.allowedGroupIds === undefined ? before.allowedGroupIds : await resolveAllowedGroups(trx, body.allowedGroupIds),
      };
      assertValidApplication({ ...after, confidential: row.type === 'confidential' });
      const changed = (Object.keys(after) as Array<keyof typeof after>).filter((key) =>
        key === 'allowedGroupIds'
          ? !sameGroups(before.allowedGroupIds, after.allowedGroupIds)
          : JSON.stringify(before[key]) !== JSON.stringify(after[key]),
      );
      if (changed.length === 0) return fresh;

      await updateApplicationRow(trx, id, {
        name: after.name,
        redirect_uris: JSON.stringify(after.redirectUris),
        post_logout_redirect_uris: JSON.stringify(after.postLogoutRedirectUris),
        first_party: after.firstParty ? 1 : 0,
        authorize_api: after.authorizeApi ? 1 : 0,
        roster_api: after.rosterApi ? 1 : 0,
        restricted_to_groups: after.allowedGroupIds === null ? 0 : 1,
        updated_at: ctx.now().toISOString(),
      });
      let payloadsRevoked = 0;
      if (changed.includes('allowedGroupIds')) {
        await replaceApplicationGroups(trx, id, after.allowedGroupIds ?? []);
        if (after.allowedGroupIds !== null)
          payloadsRevoked += await deletePayloadsOfClientExceptMembers(trx, row.client_id, after.allowedGroupIds);
      }
      const powerLost = (before.authorizeApi && !after.authorizeApi) || (before.rosterApi && !after.rosterApi);
      if (powerLost) payloadsRevoked += await deletePayloadsOfClient(trx, row.client_id);
      await recordAuditEvent(ctx, trx, {
        action: 'application.updated',
        target: { type: 'application', id, name: after.name },
        details: {
          clientId: row.client_id,
          ...Object.fromEntries(changed.map((key) => [key, { from: before[key], to: after[key] }])),
          payloadsRevoked,
        },
      });
      return fresh;
    }),
  );
  return describeApplication(ctx.database.db, actorAfter, id, ctx.now());
}
