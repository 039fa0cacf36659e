import type { SecondFactor } from '../../shared/api/mfa.js';
import { findActiveUserWithOptionalCredential } from '../../storage/queries/credentials.js';
import { addPendingLoginAttempt, deletePendingLogin } from '../../storage/queries/mfa-pending-logins.js';
import { identitiesOfUser } from '../../storage/queries/user-identities.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { checkSecondFactor } from '../mfa/factor-state.js';
import { recordSecondFactorFailure } from '../mfa/prove-second-factor.js';
import { presentUser } from '../people/present-user.js';
import { type LoginReservation, releaseLoginAttempt, reserveLoginAttempt } from './lockout.js';
import { type LoginResult, openLoginSession, type SsoLoginFacts, temporaryPasswordRefusal } from './log-in.js';
import { credentialDigest, identityDigest, pendingLoginMaxCodes } from './pending-login.js';
import { sha256Hex } from './secrets.js';

/** A pending login that cannot continue: expired, finished, or out of codes. The person logs in again. */
const pendingLoginOver = () =>
  new DomainError('unauthenticated', 'This login has expired or took too many codes. Log in again with your password.');

/** Rolls a completion back when its factor or its pending login was taken by another request first. */
class LostRace extends Error {}

/**
 * `POST /auth/second-factor` (docs/product/security-settings.md#two-factor-authentication): completes a pending login
 * with a TOTP code, a recovery code or (through the WebAuthn kind) an assertion, and answers like a password login.
 *
 * In order: the pending login takes one more code (conditional UPDATE: at most 5, and only while it lives); the
 * account's limit takes the attempt BEFORE the code is checked (the same reservation as a password, so a burst of
 * wrong codes gets no more checks than the limit, and a locked account answers like a wrong code without checking it);
 * the password must still be the one the login was opened with; then one transaction ends the pending login, spends
 * the factor (a TOTP step or a recovery code is accepted once: conditional updates, exactly one of several requests
 * wins), spends a temporary password, resets the failures and opens the session.
 */
export async function completeSecondFactor(ctx: OperationContext, rawPendingId: string, input: SecondFactor): Promise<LoginResult> {
  const digest = sha256Hex(rawPendingId);
  const now = ctx.now();
  const pending = await ctx.database.transact(
    (trx) => addPendingLoginAttempt(trx, digest, { now: now.toISOString(), maxAttempts: pendingLoginMaxCodes }),
    { flush: false },
  );
  if (!pending) throw pendingLoginOver();
  const reservation = await reserveLoginAttempt(ctx, { kind: 'id', value: pending.user_id });
  const account = await findActiveUserWithOptionalCredential(ctx.database.db, pending.user_id);
  if (!account) throw pendingLoginOver();
  // Opened by a password (still the same one), or by an identity provider through a link that still stands.
  const byPassword = account.password_hash !== null && credentialDigest(account.password_hash) === pending.credential_digest;
  const sso = byPassword ? null : await ssoLoginOf(ctx, account.id, pending.credential_digest);
  const target = { id: account.id, name: account.username };
  const fail = async (reason: string, kept: LoginReservation | null): Promise<never> => {
    await recordSecondFactorFailure(ctx, target, { reason }, kept);
    throw new DomainError('invalid_second_factor');
  };
  if (!reservation) return fail('locked', null);
  const giveBack = () => releaseLoginAttempt(ctx, reservation).catch(() => undefined);
  if (!byPassword && !sso) {
    await giveBack();
    await ctx.database.transact((trx) => deletePendingLogin(trx, digest));
    throw pendingLoginOver();
  }
  const factor = await checkSecondFactor(ctx, account.id, input, { kind: 'login', pendingLoginDigest: digest }).catch(async (error) => {
    await giveBack();
    throw error;
  });
  if (!factor) return fail('wrong_code', reservation);
  const refusal = sso ? null : temporaryPasswordRefusal(account, now);
  if (refusal) return fail(refusal, reservation);

  let session: Awaited<ReturnType<typeof openLoginSession>>;
  try {
    session = await ctx.database.transact(async (trx) => {
      if (!(await deletePendingLogin(trx, digest)) || !(await factor.accept(trx))) throw new LostRace();
      if (factor.method === 'recovery_code') {
        await recordAuditEvent(ctx, trx, {
          action: 'auth.recovery_code_used',
          target: { type: 'user', id: account.id, name: account.username },
          details: { during: 'auth.login' },
        });
      }
      return openLoginSession(ctx, trx, account, now, factor.method, sso);
    });
  } catch (error) {
    if (error instanceof LostRace) return fail('code_already_used', reservation);
    await giveBack();
    throw error;
  }
  if (!session) return fail('temporary_password_used', reservation);
  return {
    kind: 'session',
    user: presentUser({ ...account, last_seen_at: now.toISOString() }),
    mustChangePassword: account.must_change_password === 1,
    session,
  };
}

/**
 * The identity provider a pending login came from (docs/sso.md#two-factor-authentication): the person's link whose
 * digest it keeps, or null (not an SSO login, or the link was removed meanwhile).
 */
async function ssoLoginOf(ctx: OperationContext, userId: string, digest: string): Promise<SsoLoginFacts | null> {
  const link = (await identitiesOfUser(ctx.database.db, userId)).find((identity) => identityDigest(identity.id) === digest);
  // Roster's own factor is the second factor here: the provider's counts for nothing more.
  return link ? { identityProvider: { id: link.identity_provider_id, label: link.label }, mfaByProvider: false } : null;
}
