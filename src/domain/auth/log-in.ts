import type { SecondFactorMethod } from '../../shared/api/mfa.js';
import type { Executor } from '../../storage/database.js';
import { findActiveUserWithCredential, replacePasswordHash, spendTemporaryPassword } from '../../storage/queries/credentials.js';
import type { UserRow } from '../../storage/schema.js';
import { loadAccessSubject } from '../access/load-access-subject.js';
import { recordAuditEvent, recordAuditFailure } from '../audit/record-audit-event.js';
import { actingAs, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { secondFactorMethodsOf } from '../mfa/factor-state.js';
import { loginKey } from '../people/identity.js';
import { presentUser, type UserView } from '../people/present-user.js';
import { createSession, type NewSession } from '../sessions/create-session.js';
import { whySsoIsRequired } from '../sso/require-sso.js';
import { clearLoginFailures, type LoginReservation, recordLoginFailure, releaseLoginAttempt, reserveLoginAttempt } from './lockout.js';
import { maxPasswordLength, normalizePassword } from './password-policy.js';
import { createPendingLogin, credentialDigest, type NewPendingLogin } from './pending-login.js';

export interface LoginResult {
  kind: 'session';
  user: UserView;
  mustChangePassword: boolean;
  session: { rawId: string; csrfToken: string; expiresAt: Date };
}

/** The password was right and the account has 2FA: a pending login, not a session. */
export interface SecondFactorDue {
  kind: 'second_factor';
  methods: SecondFactorMethod[];
  pendingLogin: NewPendingLogin;
}

/**
 * Checks a login name and password (docs/product/console.md#first-login-and-forced-password-change,
 * docs/product/security-settings.md#passwords, docs/product/security-settings.md#temporary-passwords,
 * docs/product/security-settings.md#login-throttling). Unknown user, wrong password, locked account and spent temporary
 * password all throw the same `invalid_credentials`; the audit log keeps the real reason.
 *
 * Every name takes the same steps, so that timing does not tell who exists: reserve the attempt (one conditional
 * UPDATE, which changes no row for an unknown name or a locked account), read the account, check the password
 * (against the dummy hash when the attempt may not be checked), then one durable write: the failure's audit events,
 * or the session.
 */
export async function logIn(ctx: OperationContext, input: { login: string; password: string }): Promise<LoginResult | SecondFactorDue> {
  const password = normalizePassword(input.password);
  const key = loginKey(input.login);
  // Counted before hashing (docs/product/security-settings.md#login-throttling): a burst of parallel guesses gets at
  // most the free failures checked.
  const reservation = await reserveLoginAttempt(ctx, key);
  const account = await findActiveUserWithCredential(ctx.database.db, key);

  // Only a reserved attempt is checked against the account's hash. Over-long input is never hashed
  // (docs/product/security-settings.md#passwords). Anything else still costs one dummy verification, so a refusal takes
  // as long as a wrong password.
  const reserved = account !== undefined && reservation?.userId === account.id ? reservation : null;
  const checked = reserved && [...password].length <= maxPasswordLength ? (account?.password_hash ?? null) : null;
  let matches: boolean;
  try {
    matches = await ctx.hasher.verify(checked, checked ? password : '');
  } catch (error) {
    // No password was checked (a full hashing queue): the attempt does not count.
    if (reservation) await releaseLoginAttempt(ctx, reservation).catch(() => undefined);
    throw error;
  }
  const now = ctx.now();

  if (!account) {
    await recordLoginFailure(ctx, { id: null, name: input.login.slice(0, 100) }, { reason: 'unknown_user' }, null);
    throw new DomainError('invalid_credentials');
  }
  const target = { id: account.id, name: account.username };
  if (!reserved) {
    await recordLoginFailure(ctx, target, { reason: 'locked', failures: Number(account.failed_login_count) }, null);
    throw new DomainError('invalid_credentials');
  }
  const refusal = !matches ? 'wrong_password' : temporaryPasswordRefusal(account, now);
  if (refusal) return refuse(ctx, target, refusal, reserved);
  // A right password of anyone but an Owner while SSO is required (docs/sso.md#requiring-sso): no failure, no session.
  const ssoOnly = await whySsoIsRequired(ctx.database.db, account.id);
  if (ssoOnly) {
    await releaseLoginAttempt(ctx, reserved);
    await recordAuditFailure(ctx, {
      action: 'auth.login_failed',
      target: { type: 'user', ...target },
      details: { reason: 'sso_required' },
    });
    throw new DomainError('sso_required', ssoOnly);
  }

  // The right password of an account with 2FA (docs/product/security-settings.md#two-factor-authentication): no session
  // yet, only a pending login that POST /auth/second-factor completes. A temporary password is not spent until then.
  if (account.mfa_enabled === 1) {
    return startPendingLogin(ctx, account, password, reserved).catch(async (error: unknown) => {
      await releaseLoginAttempt(ctx, reserved).catch(() => undefined);
      throw error;
    });
  }

  // The right password: if the session cannot be written (storage down, hashing queue full for the re-hash), the
  // attempt is given back, so that an outage does not lock the people who keep trying.
  const session = await openSession(ctx, account, password, now).catch(async (error: unknown) => {
    await releaseLoginAttempt(ctx, reserved).catch(() => undefined);
    throw error;
  });
  // Another request spent the same temporary password first.
  if (!session) return refuse(ctx, target, 'temporary_password_used', reserved);
  return {
    kind: 'session',
    user: presentUser({ ...account, last_seen_at: now.toISOString() }),
    mustChangePassword: account.must_change_password === 1,
    session,
  };
}

/** The password hash re-made with today's parameters when they changed (never for a temporary password). */
async function rehashIfNeeded(ctx: OperationContext, account: { password_hash: string; is_temporary: number }, password: string) {
  return account.is_temporary === 0 && ctx.hasher.needsRehash(account.password_hash) ? await ctx.hasher.hash(password) : null;
}

/**
 * The writes of a successful login, in one transaction: spend a temporary password, reset the failures, re-hash,
 * create the session, audit. Returns null when the temporary password was spent by another request in the meantime.
 */
async function openSession(
  ctx: OperationContext,
  account: UserRow & { password_hash: string; is_temporary: number },
  password: string,
  now: Date,
): Promise<LoginResult['session'] | null> {
  const rehash = await rehashIfNeeded(ctx, account, password);
  return ctx.database.transact(async (trx) => {
    if (rehash) await replacePasswordHash(trx, account.id, account.password_hash, rehash, now.toISOString());
    return openLoginSession(ctx, trx, account, now, null);
  });
}

/** How a login through an identity provider went (docs/sso.md): it changes the audit event and the session. */
export interface SsoLoginFacts {
  identityProvider: { id: string; label: string };
  /** The provider enforces its own 2FA and its `amr` showed a second factor. */
  mfaByProvider: boolean;
}

/**
 * The common end of every complete login (password alone, password and second factor, or an identity provider),
 * inside its transaction: spend a temporary password (bound to the hash that was verified, so a password changed or
 * reset in the meantime is not touched, and spent by exactly one request:
 * docs/product/security-settings.md#temporary-passwords), reset the failures, create the session (restricted while the
 * password must change), audit `auth.login`. Null when the temporary password was spent by another request first.
 *
 * With `sso` the password played no part: nothing is spent, the session is not restricted for a password that must
 * change (that applies at the next password login), it carries the provider's second factor, and the event is
 * `auth.sso_login`.
 */
export async function openLoginSession(
  ctx: OperationContext,
  trx: Executor,
  account: Pick<UserRow, 'id' | 'username' | 'must_change_password'> & { password_hash: string | null; is_temporary: number | null },
  now: Date,
  secondFactor: SecondFactorMethod | null,
  sso: SsoLoginFacts | null = null,
): Promise<NewSession | null> {
  const restricted = sso === null && account.must_change_password === 1;
  if (
    sso === null &&
    account.is_temporary === 1 &&
    account.password_hash !== null &&
    !(await spendTemporaryPassword(trx, account.id, account.password_hash, now.toISOString()))
  ) {
    return null;
  }
  await clearLoginFailures(trx, account.id, now);
  // From here on the account acts: it is the caller of its session and the actor of its login event.
  const subject = await loadAccessSubject(trx, account.id, restricted);
  if (!subject) throw new Error('The account vanished inside its own login.');
  const userCtx = actingAs(ctx, subject);
  const created = await createSession(userCtx, trx, account.id, restricted, sso?.mfaByProvider === true);
  if (sso) {
    await recordAuditEvent(userCtx, trx, {
      action: 'auth.sso_login',
      target: { type: 'user', id: account.id, name: account.username },
      details: { identityProvider: sso.identityProvider, mfaByProvider: sso.mfaByProvider, ...(secondFactor ? { secondFactor } : {}) },
    });
    return created;
  }
  await recordAuditEvent(userCtx, trx, {
    action: 'auth.login',
    target: { type: 'user', id: account.id, name: account.username },
    details: { restricted, temporaryPassword: account.is_temporary === 1, ...(secondFactor ? { secondFactor } : {}) },
  });
  return created;
}

/**
 * A right password of an account with 2FA: the attempt is given back (a right password is no failure, but resets
 * nothing either: only the complete login does), a re-hash is done now (the password is not seen again), and a pending
 * login is written: the next step, on any node, reads it by the cookie's digest.
 */
async function startPendingLogin(
  ctx: OperationContext,
  account: UserRow & { password_hash: string; is_temporary: number },
  password: string,
  reserved: LoginReservation,
): Promise<SecondFactorDue> {
  const rehash = await rehashIfNeeded(ctx, account, password);
  const now = ctx.now();
  const pendingLogin = await ctx.database.transact(async (trx) => {
    let hash = account.password_hash;
    if (rehash) {
      await replacePasswordHash(trx, account.id, account.password_hash, rehash, now.toISOString());
      hash = rehash;
    }
    return createPendingLogin(ctx, trx, account.id, credentialDigest(hash));
  });
  await releaseLoginAttempt(ctx, reserved);
  return { kind: 'second_factor', methods: await secondFactorMethodsOf(ctx.database.db, account.id), pendingLogin };
}

async function refuse(
  ctx: OperationContext,
  target: { id: string; name: string },
  reason: string,
  reservation: LoginReservation,
): Promise<never> {
  await recordLoginFailure(ctx, target, { reason, failures: reservation.failures }, reservation);
  throw new DomainError('invalid_credentials');
}

/**
 * Why a verified temporary password is refused (docs/product/security-settings.md#temporary-passwords), or null when it
 * is a permanent one or still good.
 */
export function temporaryPasswordRefusal(
  credential: { is_temporary: number | null; expires_at: string | null; used_at: string | null },
  now: Date,
): string | null {
  if (credential.is_temporary !== 1) return null;
  if (credential.used_at !== null) return 'temporary_password_used';
  if (credential.expires_at !== null && Date.parse(credential.expires_at) <= now.getTime()) return 'temporary_password_expired';
  return null;
}
