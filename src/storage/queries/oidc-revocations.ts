import type { Executor } from '../database.js';

/**
 * Revocations of the OpenID Connect provider's state (`oidc_payloads`) that depend on who may sign in to an application
 * (`applications.restricted_to_groups`, `application_groups`), docs/decisions/0024-openid-connect-provider.md. What a
 * person loses as a whole (removal, resets, ended sessions) is `deleteOidcPayloadsOfAccount` in oidc-provider-state.ts.
 */

/**
 * The provider state people lose when they leave group `groupId`: their grants, codes, tokens and provider sessions
 * for every application restricted to groups that allows this group, unless they are still in another group that
 * application allows. `leavers` is one person, or every member of the group (the group is being deleted). Runs BEFORE
 * the memberships and the group go: it finds the members and the applications through them. Returns how many rows went.
 */
export async function deleteOidcPayloadsOfGroupLeavers(
  db: Executor,
  groupId: string,
  leavers: { userId: string } | 'all members',
): Promise<number> {
  const applicationsAllowingGroup = db
    .selectFrom('applications')
    .innerJoin('application_groups', 'application_groups.application_id', 'applications.id')
    .select('applications.client_id')
    .where('applications.restricted_to_groups', '=', 1)
    .where('application_groups.group_id', '=', groupId);
  let query = db
    .deleteFrom('oidc_payloads')
    .where('oidc_payloads.client_id', 'in', applicationsAllowingGroup)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('applications')
            .innerJoin('application_groups', 'application_groups.application_id', 'applications.id')
            .innerJoin('group_members', 'group_members.group_id', 'application_groups.group_id')
            .select('group_members.user_id')
            .whereRef('applications.client_id', '=', 'oidc_payloads.client_id')
            .whereRef('group_members.user_id', '=', 'oidc_payloads.account_id')
            .where('application_groups.group_id', '<>', groupId),
        ),
      ),
    );
  query =
    leavers === 'all members'
      ? query.where('oidc_payloads.account_id', 'in', db.selectFrom('group_members').select('user_id').where('group_id', '=', groupId))
      : query.where('oidc_payloads.account_id', '=', leavers.userId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}
