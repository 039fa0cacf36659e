import type { Insertable } from 'kysely';
import type { Executor } from '../database.js';
import type { UserIdentitiesTable } from '../schema.js';

/** Everything that reads or writes `user_identities`: a person's links to an identity provider's subject (§12.2). */

/** The link of (provider, sub), with its person's state, or undefined. */
export function findIdentityBySubject(db: Executor, providerId: string, subject: string) {
  return db
    .selectFrom('user_identities')
    .innerJoin('users', 'users.id', 'user_identities.user_id')
    .select(['user_identities.id', 'user_identities.user_id', 'users.status', 'users.username'])
    .where('user_identities.identity_provider_id', '=', providerId)
    .where('user_identities.subject', '=', subject)
    .executeTakeFirst();
}

export async function insertIdentity(trx: Executor, row: Insertable<UserIdentitiesTable>): Promise<void> {
  await trx.insertInto('user_identities').values(row).execute();
}

/** Records a login through the link: when, and the email the provider asserted this time (information only). */
export async function touchIdentity(trx: Executor, id: string, at: string, email: string | null): Promise<void> {
  await trx.updateTable('user_identities').set({ last_login_at: at, email }).where('id', '=', id).execute();
}

/** A person's links with their providers' labels, oldest first. */
export function identitiesOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('user_identities')
    .innerJoin('identity_providers', 'identity_providers.id', 'user_identities.identity_provider_id')
    .select([
      'user_identities.id',
      'user_identities.identity_provider_id',
      'identity_providers.label',
      'user_identities.email',
      'user_identities.created_at',
      'user_identities.last_login_at',
    ])
    .where('user_identities.user_id', '=', userId)
    .orderBy('user_identities.created_at')
    .orderBy('user_identities.id')
    .execute();
}

/** Removes one of a person's links; true when this call removed it. */
export async function deleteIdentityOfUser(trx: Executor, userId: string, id: string): Promise<boolean> {
  const result = await trx.deleteFrom('user_identities').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Removes every link of a person (an administrator's password or 2FA reset); how many went. */
export async function deleteIdentitiesOfUser(trx: Executor, userId: string): Promise<number> {
  const result = await trx.deleteFrom('user_identities').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
