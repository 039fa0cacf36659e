import type { Executor } from '../database.js';
import type { WebAuthnCeremony, WebAuthnCredentialRow } from '../schema.js';

/**
 * Everything that reads or writes `webauthn_credentials` (registered security keys and passkeys) and
 * `webauthn_challenges` (ceremonies in progress), docs/decisions/0023-webauthn.md.
 */

export type NewWebAuthnCredential = Omit<WebAuthnCredentialRow, 'last_used_at' | 'counter'> & { counter: number };

export async function insertWebAuthnCredential(trx: Executor, credential: NewWebAuthnCredential): Promise<void> {
  await trx
    .insertInto('webauthn_credentials')
    .values({ ...credential, last_used_at: null })
    .execute();
}

/** A person's keys, oldest first. */
export function webAuthnCredentialsOf(db: Executor, userId: string): Promise<WebAuthnCredentialRow[]> {
  return db
    .selectFrom('webauthn_credentials')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** How many keys a person has (0 when none). */
export async function countWebAuthnCredentials(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('webauthn_credentials')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The key an assertion names, with its owner's id; undefined when nobody registered it. */
export function findWebAuthnCredentialByCredentialId(db: Executor, credentialId: string): Promise<WebAuthnCredentialRow | undefined> {
  return db.selectFrom('webauthn_credentials').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
}

/** One of a person's keys by its Roster id; undefined when it is not theirs. */
export function findOwnWebAuthnCredential(db: Executor, userId: string, id: string): Promise<WebAuthnCredentialRow | undefined> {
  return db.selectFrom('webauthn_credentials').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

/** Renames one of a person's keys; returns whether a row changed. */
export async function renameWebAuthnCredential(trx: Executor, userId: string, id: string, name: string): Promise<boolean> {
  const result = await trx
    .updateTable('webauthn_credentials')
    .set({ name })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Removes one of a person's keys; returns whether a row went. */
export async function deleteWebAuthnCredential(trx: Executor, userId: string, id: string): Promise<boolean> {
  const result = await trx.deleteFrom('webauthn_credentials').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Removes every key of a person (an administrator's 2FA reset); returns how many went. */
export async function deleteUserWebAuthnCredentials(trx: Executor, userId: string): Promise<number> {
  const result = await trx.deleteFrom('webauthn_credentials').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Records a successful assertion. The counter only moves forward: with `previous` as a condition, of two assertions
 * verified at the same moment against the same stored counter only one advances it (authenticators that keep no
 * counter report 0 forever, and 0 → 0 is allowed).
 */
export async function recordWebAuthnUse(
  trx: Executor,
  id: string,
  counters: { previous: number; next: number },
  at: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('webauthn_credentials')
    .set({ counter: counters.next, last_used_at: at })
    .where('id', '=', id)
    .where('counter', '=', counters.previous)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The relying-party ids keys were registered for, with how many keys each (for `roster doctor`). */
export function webAuthnRelyingParties(db: Executor): Promise<{ rp_id: string; count: string | number }[]> {
  return db
    .selectFrom('webauthn_credentials')
    .select(['rp_id', (eb) => eb.fn.countAll<string | number>().as('count')])
    .groupBy('rp_id')
    .orderBy('rp_id')
    .execute();
}

export async function insertWebAuthnChallenge(
  trx: Executor,
  challenge: { challenge: string; purpose: WebAuthnCeremony; userId: string | null; createdAt: string; expiresAt: string },
): Promise<void> {
  await trx
    .insertInto('webauthn_challenges')
    .values({
      challenge: challenge.challenge,
      purpose: challenge.purpose,
      user_id: challenge.userId,
      created_at: challenge.createdAt,
      expires_at: challenge.expiresAt,
    })
    .execute();
}

/**
 * Uses a challenge: deletes it if it exists for this purpose and account and has not expired, and says whether it did.
 * One DELETE with every condition in it, so of several requests that send the same challenge at once exactly one
 * sees a row go.
 */
export async function takeWebAuthnChallenge(
  trx: Executor,
  challenge: string,
  expect: { purpose: WebAuthnCeremony; userId: string | null; now: string },
): Promise<boolean> {
  let query = trx
    .deleteFrom('webauthn_challenges')
    .where('challenge', '=', challenge)
    .where('purpose', '=', expect.purpose)
    .where('expires_at', '>', expect.now);
  query = expect.userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', expect.userId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Whether a challenge exists for this purpose and account and has not expired (read only: using it is `takeWebAuthnChallenge`). */
export async function webAuthnChallengeIsOpen(
  db: Executor,
  challenge: string,
  expect: { purpose: WebAuthnCeremony; userId: string | null; now: string },
): Promise<boolean> {
  let query = db
    .selectFrom('webauthn_challenges')
    .select('challenge')
    .where('challenge', '=', challenge)
    .where('purpose', '=', expect.purpose)
    .where('expires_at', '>', expect.now);
  query = expect.userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', expect.userId);
  return (await query.executeTakeFirst()) !== undefined;
}

/** Forgets challenges that expired before `before` (a bounded sweep by the expiry index); returns how many went. */
export async function deleteExpiredWebAuthnChallenges(trx: Executor, before: string, limit: number): Promise<number> {
  const expired = trx.selectFrom('webauthn_challenges').select('challenge').where('expires_at', '<=', before).limit(limit);
  const result = await trx.deleteFrom('webauthn_challenges').where('challenge', 'in', expired).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Forgets every challenge of a person (their keys were reset). */
export async function deleteUserWebAuthnChallenges(trx: Executor, userId: string): Promise<void> {
  await trx.deleteFrom('webauthn_challenges').where('user_id', '=', userId).execute();
}
