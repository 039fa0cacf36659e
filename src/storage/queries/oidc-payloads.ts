import type { Executor } from '../database.js';

/**
 * Everything that reads or writes `oidc_payloads`, the OpenID Connect provider library's state (migration 0013): one
 * row per code, token, grant, session or interaction, with the client and account it belongs to beside the JSON.
 * First the revocations that Roster's own operations make (removing an application, narrowing who may sign in to it,
 * a person revoking their consent); the provider's adapter follows.
 */

/** Deletes every object of a client (its codes, tokens, grants, interactions); the number deleted. */
export async function deletePayloadsOfClient(trx: Executor, clientId: string): Promise<number> {
  const result = await trx.deleteFrom('oidc_payloads').where('client_id', '=', clientId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Deletes the objects of a client that belong to a person who is not a member of any of `groupIds` (an application's
 * allowed groups were narrowed). Objects without a person (client-credentials tokens: account_id NULL) stay. With no
 * groups, every person's objects go.
 */
export async function deletePayloadsOfClientExceptMembers(trx: Executor, clientId: string, groupIds: readonly string[]): Promise<number> {
  let query = trx.deleteFrom('oidc_payloads').where('client_id', '=', clientId).where('account_id', 'is not', null);
  if (groupIds.length > 0) {
    query = query.where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('group_members')
            .select('group_members.user_id')
            .whereRef('group_members.user_id', '=', 'oidc_payloads.account_id')
            .where('group_members.group_id', 'in', groupIds),
        ),
      ),
    );
  }
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes one person's objects of one client (their consent to it was revoked); the number deleted. */
export async function deletePayloadsOfUserAndClient(trx: Executor, userId: string, clientId: string): Promise<number> {
  const result = await trx
    .deleteFrom('oidc_payloads')
    .where('client_id', '=', clientId)
    .where('account_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
