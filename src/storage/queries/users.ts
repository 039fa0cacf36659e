import type { Insertable } from 'kysely';
import type { OrganizationRole } from '../../shared/permissions.js';
import type { Executor } from '../database.js';
import type { UserRow, UsersTable, UserType } from '../schema.js';

/**
 * Reads and writes of single accounts in the `users` table: find by id or login name, insert, change name, email,
 * role or status, and the login counters (docs/product/security-settings.md#login-throttling). The People list and
 * search are in `user-pages.ts`; the account with its groups in `access-subjects.ts`.
 */

/** Which account: by id, by username, or by canonical email (a login name is one of the last two). */
export type AccountKey = { kind: 'email' | 'username' | 'id'; value: string };

export function accountKeyColumn(key: AccountKey): 'email_canonical' | 'username' | 'id' {
  return key.kind === 'email' ? 'email_canonical' : key.kind === 'username' ? 'username' : 'id';
}

export function qualifiedAccountKeyColumn(key: AccountKey): 'users.email_canonical' | 'users.username' | 'users.id' {
  return `users.${accountKeyColumn(key)}` as const;
}

/** Any account (active or removed) by id. */
export function findUser(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The id and username of the active account with this id, username or canonical email. */
export function findActiveUser(db: Executor, key: AccountKey): Promise<{ id: string; username: string; type: UserType } | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'type'])
    .where(accountKeyColumn(key), '=', key.value)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

/** The active accounts whose canonical email is one of `canonical` (any number: read 500 at a time). */
export async function findActiveUsersByEmails(db: Executor, canonical: readonly string[]): Promise<UserRow[]> {
  const found: UserRow[] = [];
  for (let i = 0; i < canonical.length; i += 500) {
    const chunk = canonical.slice(i, i + 500);
    if (chunk.length === 0) continue;
    found.push(
      ...(await db.selectFrom('users').selectAll().where('status', '=', 'active').where('email_canonical', 'in', chunk).execute()),
    );
  }
  return found;
}

export function findActiveUserByEmail(db: Executor, canonical: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('status', '=', 'active').where('email_canonical', '=', canonical).executeTakeFirst();
}

/** True when an active account other than `exceptId` has this canonical email. */
export async function emailUsedByOther(db: Executor, canonical: string, exceptId: string): Promise<boolean> {
  const other = await db
    .selectFrom('users')
    .select('id')
    .where('status', '=', 'active')
    .where('email_canonical', '=', canonical)
    .where('id', '!=', exceptId)
    .executeTakeFirst();
  return other !== undefined;
}

export async function activeUsernameTaken(db: Executor, username: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('status', '=', 'active').where('username', '=', username).executeTakeFirst();
  return row !== undefined;
}

/** Active usernames that start with `prefix` (one index range). */
export async function activeUsernamesStartingWith(db: Executor, prefix: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('username')
    .where('status', '=', 'active')
    .where('username', '>=', prefix)
    .where('username', '<', `${prefix}\uffff`)
    .execute();
  return rows.map((row) => row.username);
}

/** True when the instance has an active account whose direct role is `role`. */
export async function hasActiveUserWithRole(db: Executor, role: OrganizationRole): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('role', '=', role).where('status', '=', 'active').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Active accounts whose direct role is Owner (R1). Call under the `owners` lock when the answer guards a write. */
export async function countActiveOwners(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('status', '=', 'active')
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A page of active users, by (username, id) after `after`, whose direct role is among `roles.direct` or who belong
 * to a group whose role is among `roles.viaGroup`; `exceptId` is left out.
 */
export function pageOfActiveUsersWithRole(
  db: Executor,
  filter: { direct: readonly OrganizationRole[]; viaGroup: ReadonlyArray<Exclude<OrganizationRole, 'owner'>>; exceptId: string },
  after: { key: string; id: string } | null,
  limit: number,
) {
  let select = db
    .selectFrom('users')
    .select(['id', 'username', 'email', 'type', 'role'])
    .where('status', '=', 'active')
    .where('id', '!=', filter.exceptId)
    .where((eb) =>
      eb.or([
        ...(filter.direct.length > 0 ? [eb('role', 'in', [...filter.direct])] : []),
        ...(filter.viaGroup.length > 0
          ? [
              eb(
                'id',
                'in',
                eb
                  .selectFrom('group_members')
                  .innerJoin('groups', 'groups.id', 'group_members.group_id')
                  .select('group_members.user_id')
                  .where('groups.role', 'in', [...filter.viaGroup]),
              ),
            ]
          : []),
      ]),
    );
  if (after) select = select.where((eb) => eb(eb.refTuple('username', 'id'), '>', eb.tuple(after.key, after.id)));
  return select.orderBy('username').orderBy('id').limit(limit).execute();
}

/** Accounts made by `roster admin seed` (removed ones too). */
export async function countSeededUsers(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('seeded', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(trx: Executor, row: Insertable<UsersTable>): Promise<void> {
  await trx.insertInto('users').values(row).execute();
}

/** Inserts many accounts, skipping any whose username or email an account holds already; returns the new ids. */
export async function insertUsersSkippingTaken(trx: Executor, rows: ReadonlyArray<Insertable<UsersTable>>): Promise<string[]> {
  const inserted = await trx
    .insertInto('users')
    .values([...rows])
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  return inserted.map((row) => row.id);
}

type UserChange = Partial<
  Pick<UsersTable, 'username' | 'email' | 'email_canonical' | 'role' | 'status' | 'removed_at' | 'must_change_password' | 'last_seen_at'>
>;

/** Changes an account's profile columns (name, email, role, status, must-change-password, last seen). */
export async function updateUser(trx: Executor, id: string, change: UserChange): Promise<void> {
  await trx.updateTable('users').set(change).where('id', '=', id).execute();
}

/**
 * Clears must-change-password only if it is still set; false when another request cleared it first (the forced change
 * is spent once, even by requests that arrive at the same moment).
 */
export async function spendForcedPasswordChange(trx: Executor, id: string): Promise<boolean> {
  const result = await trx
    .updateTable('users')
    .set({ must_change_password: 0 })
    .where('id', '=', id)
    .where('must_change_password', '=', 1)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Forgets an account's failed logins and lifts its lock (an unlock, a new temporary password). */
export async function clearLockout(trx: Executor, id: string): Promise<void> {
  await trx
    .updateTable('users')
    .set({ failed_login_count: 0, locked_until: null, last_failed_login_at: null })
    .where('id', '=', id)
    .execute();
}

/** A complete login: `clearLockout` and the time of last use, in one statement. */
export async function recordCompleteLogin(trx: Executor, id: string, at: string): Promise<void> {
  await trx
    .updateTable('users')
    .set({ failed_login_count: 0, last_failed_login_at: null, locked_until: null, last_seen_at: at })
    .where('id', '=', id)
    .execute();
}

/** How a failed attempt moves an account's lock: the schedule is the caller's rule, this only writes it. */
export interface FailureCount {
  now: string;
  /** Failures whose last one is older than this are forgotten: the count starts again at 1. */
  forgetBefore: string;
  /** `lockUntil[n]` is the end of the lock that the n-th failure starts (null or absent: none) … */
  lockUntil: ReadonlyArray<string | null>;
  /** … and from this many failures on, every failure locks until `cappedLockUntil`. */
  cappedFrom: number;
  cappedLockUntil: string;
}

/**
 * Adds one failure to the active, unlocked account with this key and starts the lock the new count calls for, in one
 * conditional UPDATE … RETURNING (so parallel attempts cannot pass a lock none has written yet). Undefined when no
 * active account has the key or it is locked.
 */
export function addLoginFailure(trx: Executor, key: AccountKey, count: FailureCount) {
  return (
    trx
      .updateTable('users')
      .set((eb) => {
        const forgotten = eb.or([eb('last_failed_login_at', 'is', null), eb('last_failed_login_at', '<', count.forgetBefore)]);
        // SET expressions read the row as it was: the new count is `failed_login_count + 1` unless forgotten.
        let lock = eb.case().when(forgotten).then(eb.val<string | null>(null));
        for (let failures = 1; failures < count.cappedFrom; failures++) {
          const until = count.lockUntil[failures];
          if (until) lock = lock.when('failed_login_count', '=', failures - 1).then(until);
        }
        return {
          failed_login_count: eb
            .case()
            .when(forgotten)
            .then(1)
            .else(eb('failed_login_count', '+', 1))
            .end(),
          last_failed_login_at: count.now,
          locked_until: lock
            .when('failed_login_count', '>=', count.cappedFrom - 1)
            .then(count.cappedLockUntil)
            .else(null)
            .end(),
        };
      })
      .where(accountKeyColumn(key), '=', key.value)
      .where('status', '=', 'active')
      // A service account cannot log in: its name counts as unknown, and never locks (docs/product/service-accounts.md).
      .where('type', '=', 'person')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', count.now)]))
      .returning(['id', 'failed_login_count', 'locked_until'])
      .executeTakeFirst()
  );
}

/** Takes back one failure (never below zero) and the lock `lockedUntil`, if it is still the account's. */
export async function takeBackLoginFailure(trx: Executor, id: string, lockedUntil: string | null): Promise<void> {
  await trx
    .updateTable('users')
    .set((eb) => ({
      failed_login_count: eb('failed_login_count', '-', 1),
      locked_until: lockedUntil
        ? eb.case().when('locked_until', '=', lockedUntil).then(eb.val<string | null>(null)).else(eb.ref('locked_until')).end()
        : eb.ref('locked_until'),
    }))
    .where('id', '=', id)
    .where('failed_login_count', '>', 0)
    .execute();
}

/**
 * Takes the account's row lock for the rest of the transaction before its second factors change (a no-op UPDATE;
 * SQLite writers are serialised anyway), so that two removals at the same moment each see what the other left and
 * `users.mfa_enabled` ends right. False when no active account has the id.
 */
export async function lockAccountForFactorChange(trx: Executor, id: string): Promise<boolean> {
  const result = await trx
    .updateTable('users')
    .set((eb) => ({ mfa_enabled: eb.ref('mfa_enabled') }))
    .where('id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Whether the account has a second factor (docs/product/security-settings.md#two-factor-authentication). */
export async function setMfaEnabled(trx: Executor, id: string, enabled: boolean): Promise<void> {
  await trx
    .updateTable('users')
    .set({ mfa_enabled: enabled ? 1 : 0 })
    .where('id', '=', id)
    .execute();
}

/** An administrator removed every second factor: 2FA is off and the grace period starts again at `at`. */
export async function recordMfaReset(trx: Executor, id: string, at: string): Promise<void> {
  await trx.updateTable('users').set({ mfa_enabled: 0, mfa_reset_at: at }).where('id', '=', id).execute();
}
