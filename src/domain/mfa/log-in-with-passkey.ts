import { generateAuthenticationOptions } from '@simplewebauthn/server';
import type { Assertion, AssertionOptions } from '../../shared/api/webauthn.js';
import { findUser } from '../../storage/queries/users.js';
import { findWebAuthnCredentialByCredentialId } from '../../storage/queries/webauthn.js';
import { loadAccessSubject } from '../access/load-access-subject.js';
import { recordAuditEvent, recordAuditFailure } from '../audit/record-audit-event.js';
import { clearLoginFailures } from '../auth/lockout.js';
import type { LoginResult } from '../auth/log-in.js';
import { actingAs, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { presentUser } from '../people/present-user.js';
import { createSession } from '../sessions/create-session.js';
import { whySsoIsRequired } from '../sso/require-sso.js';
import { checkAssertion, presentAssertionOptions } from './webauthn-assertions.js';
import { issueWebAuthnChallenge, spendWebAuthnChallenge, webAuthnCeremonyMs } from './webauthn-challenges.js';
import { challengeBytes } from './webauthn-credentials.js';
import { requireRelyingParty } from './webauthn-relying-party.js';

/**
 * Options for **Sign in with a passkey** (docs/product/security-settings.md#security-keys-and-passkeys): no account is
 * named, so the browser offers the discoverable credentials it holds for this site; user verification is required,
 * since the passkey stands for both the password and the second factor.
 */
export async function startPasskeyLogin(ctx: OperationContext): Promise<AssertionOptions> {
  const relyingParty = requireRelyingParty(ctx.config);
  const challenge = await issueWebAuthnChallenge(ctx, 'passkey', null);
  const options = await generateAuthenticationOptions({
    rpID: relyingParty.id,
    challenge: challengeBytes(challenge),
    timeout: webAuthnCeremonyMs,
    userVerification: 'required',
    allowCredentials: [],
  });
  return presentAssertionOptions(options, relyingParty, 'required');
}

/**
 * A complete login with a passkey: a discoverable credential, verified user, challenge of this ceremony (used once).
 * It opens a session like a password plus second factor would, and still passes through a pending forced password
 * change (a restricted session). Every refusal is the same 401 `passkey_not_accepted`; the audit log keeps the reason.
 */
export async function logInWithPasskey(ctx: OperationContext, assertion: Assertion): Promise<LoginResult> {
  const relyingParty = requireRelyingParty(ctx.config);
  // Every refusal, a spent or unknown challenge included, is one failed login for /metrics (the address limit counts
  // them all too).
  const refused = () => {
    ctx.securityCounters.loginFailed('passkey');
    return new DomainError('passkey_not_accepted');
  };
  const challenge = await spendWebAuthnChallenge(ctx, assertion.response.clientDataJSON, { purpose: 'passkey', userId: null }, refused);
  const key = await findWebAuthnCredentialByCredentialId(ctx.database.db, assertion.id);
  const account = key ? await findUser(ctx.database.db, key.user_id) : undefined;
  const fail = async (reason: string): Promise<never> => {
    await recordAuditFailure(ctx, {
      action: 'auth.login_failed',
      target: { type: 'user', id: account?.id ?? null, name: account?.username ?? null },
      details: { reason, method: 'passkey' },
    });
    throw refused();
  };
  if (!key || !account) return fail('unknown_passkey');
  if (account.status !== 'active') return fail('account_removed');
  // The passkey must be the account's own: the user handle the authenticator stored is the account's id.
  const handle = assertion.response.userHandle ? Buffer.from(assertion.response.userHandle, 'base64url').toString('utf8') : null;
  if (handle !== account.id) return fail('user_handle_mismatch');
  if (!(await checkAssertion(ctx, relyingParty, key, assertion, challenge, true))) return fail('passkey_not_verified');
  // docs/sso.md#requiring-sso: a passkey is refused like a password for anyone but an Owner.
  const ssoOnly = await whySsoIsRequired(ctx.database.db, account.id);
  if (ssoOnly) {
    await recordAuditFailure(ctx, {
      action: 'auth.login_failed',
      target: { type: 'user', id: account.id, name: account.username },
      details: { reason: 'sso_required', method: 'passkey' },
    });
    throw new DomainError('sso_required', ssoOnly);
  }

  const now = ctx.now();
  const restricted = account.must_change_password === 1;
  const session = await ctx.database.transact(async (trx) => {
    await clearLoginFailures(trx, account.id, now);
    const subject = await loadAccessSubject(trx, account.id, restricted);
    if (!subject?.active) throw refused();
    const userCtx = actingAs(ctx, subject);
    const created = await createSession(userCtx, trx, account.id, restricted);
    await recordAuditEvent(userCtx, trx, {
      action: 'auth.login',
      target: { type: 'user', id: account.id, name: account.username },
      details: { method: 'passkey', restricted, keyId: key.id },
    });
    return created;
  });
  return {
    kind: 'session',
    user: presentUser({ ...account, last_seen_at: now.toISOString() }),
    mustChangePassword: restricted,
    session,
  };
}
