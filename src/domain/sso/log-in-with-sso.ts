import { randomUUID } from 'node:crypto';
import type { Executor } from '../../storage/database.js';
import { findIdentityBySubject, insertIdentity, touchIdentity } from '../../storage/queries/user-identities.js';
import { findActiveUserByEmail, findUser, insertUser } from '../../storage/queries/users.js';
import { loadAccessSubject } from '../access/load-access-subject.js';
import { mayLinkByVerifiedEmail } from '../access/policies/identity-provider-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { isLocked } from '../auth/lockout.js';
import { openLoginSession } from '../auth/log-in.js';
import { createPendingLogin, identityDigest, type NewPendingLogin } from '../auth/pending-login.js';
import type { OperationContext } from '../context.js';
import type { IdentityProviderLoginConfig } from '../identity-providers/load-identity-provider.js';
import { freeUsername } from '../people/create-accounts.js';
import { inferUsername, normalizeUsername, reservedUsernames, usernameViolation } from '../people/identity.js';
import type { NewSession } from '../sessions/create-session.js';
import { amrShowsSecondFactor, type ProviderClaims } from './provider-claims.js';
import { SsoRefusal } from './sso-refusal.js';
import { syncProviderGroups } from './sync-provider-groups.js';

export type SsoLoginResult = { kind: 'session'; session: NewSession } | { kind: 'second_factor'; pendingLogin: NewPendingLogin };

/** The person a login through a provider is for, and the link it came through. */
interface ResolvedPerson {
  userId: string;
  identityId: string;
}

/**
 * The login purpose of a callback (SPEC §12.2, docs/sso.md#who-gets-in), in one transaction: find or create the
 * person, sync their mapped groups, then either open the session (`auth.sso_login`) or, for a person with Roster
 * factors, a pending second-factor login. Any refusal throws SsoRefusal and rolls everything back.
 */
export async function logInWithSso(
  ctx: OperationContext,
  trx: Executor,
  provider: IdentityProviderLoginConfig,
  claims: ProviderClaims,
): Promise<SsoLoginResult> {
  const now = ctx.now();
  const { userId, identityId } = await resolvePerson(ctx, trx, provider, claims);
  const user = await findUser(trx, userId);
  if (user?.status !== 'active' || user.type !== 'person') {
    throw new SsoRefusal('account_removed', 'account_removed', user ? { id: user.id, name: user.username } : null);
  }
  const target = { id: user.id, name: user.username };
  // A lock by failed passwords or codes holds for every way in (SPEC §12.2 "lockout of the Roster account").
  if (isLocked(user.locked_until, now)) throw new SsoRefusal('account_locked', 'account_locked', target);
  await touchIdentity(trx, identityId, now.toISOString(), claims.email?.display ?? null);
  await syncProviderGroups(ctx, trx, provider, { id: user.id, username: user.username }, claims.groups);

  // Factors enrolled in Roster are never replaced by the provider's: the normal second-factor step follows.
  if (user.mfa_enabled === 1) {
    return { kind: 'second_factor', pendingLogin: await createPendingLogin(ctx, trx, user.id, identityDigest(identityId)) };
  }
  const mfaByProvider = provider.enforces2fa && amrShowsSecondFactor(claims.amr);
  const session = await openLoginSession(ctx, trx, { ...user, password_hash: null, is_temporary: null }, now, null, {
    identityProvider: { id: provider.id, label: provider.label },
    mfaByProvider,
  });
  if (!session) throw new Error('An SSO login spends no temporary password, so it cannot lose that race.');
  return { kind: 'session', session };
}

/**
 * Keyed on (provider, `sub`), never on the email after the first link. An unknown subject is linked to the account
 * holding its email only when the provider verified it, the provider allows it, and the account is a Member (by
 * effective role) without 2FA; any other holder of the email is `email_taken`. A free email creates a Member when the
 * provider allows it, else `not_registered`.
 */
async function resolvePerson(
  ctx: OperationContext,
  trx: Executor,
  provider: IdentityProviderLoginConfig,
  claims: ProviderClaims,
): Promise<ResolvedPerson> {
  const known = await findIdentityBySubject(trx, provider.id, claims.subject);
  if (known) {
    if (known.status !== 'active') throw new SsoRefusal('account_removed', 'account_removed', { id: known.user_id, name: known.username });
    return { userId: known.user_id, identityId: known.id };
  }
  const systemCtx: OperationContext = { ...ctx, caller: { kind: 'system' } };
  const identityProvider = { id: provider.id, label: provider.label };
  const email = claims.email;
  if (!email) throw new SsoRefusal(provider.createUnknown ? 'email_missing' : 'not_registered');

  const holder = await findActiveUserByEmail(trx, email.canonical);
  if (holder) {
    const target = { id: holder.id, name: holder.username };
    const why = await whyNoAutomaticLink(trx, provider, claims, holder);
    if (why) throw new SsoRefusal('email_taken', `email_taken: ${why}`, target);
    const identityId = await link(trx, provider, claims, holder.id, ctx.now());
    await recordAuditEvent(systemCtx, trx, {
      action: 'sso.linked',
      target: { type: 'user', ...target },
      details: { identityProvider, via: 'verified_email', email: email.display },
    });
    return { userId: holder.id, identityId };
  }

  if (!provider.createUnknown) throw new SsoRefusal('not_registered');
  const requested = claims.username ? usernameBase(claims.username) : null;
  const username = await freeUsername(trx, requested ?? inferUsername(email.canonical));
  const userId = randomUUID();
  const now = ctx.now();
  await insertUser(trx, {
    id: userId,
    username,
    email: email.display,
    email_canonical: email.canonical,
    role: 'member',
    status: 'active',
    // No password: nothing to change. Roster never asks an SSO person for one they do not have.
    must_change_password: 0,
    created_at: now.toISOString(),
    last_seen_at: null,
    removed_at: null,
    last_failed_login_at: null,
    locked_until: null,
  });
  const identityId = await link(trx, provider, claims, userId, now);
  await recordAuditEvent(systemCtx, trx, {
    action: 'user.created',
    target: { type: 'user', id: userId, name: username },
    details: {
      role: 'member',
      email: email.display,
      usernameInferred: requested === null || requested !== username,
      via: 'sso',
      identityProvider,
    },
  });
  return { userId, identityId };
}

/** Why an account holding the asserted email is not linked automatically, or null when it is. */
async function whyNoAutomaticLink(
  trx: Executor,
  provider: IdentityProviderLoginConfig,
  claims: ProviderClaims,
  holder: { id: string; type: string; mfa_enabled: number },
): Promise<string | null> {
  if (!claims.emailVerified) return 'email_unverified';
  if (!provider.linkVerifiedEmail) return 'automatic_linking_off';
  if (holder.type !== 'person') return 'not_a_person';
  if (Number(holder.mfa_enabled) === 1) return 'has_2fa';
  const subject = await loadAccessSubject(trx, holder.id);
  if (!subject || !mayLinkByVerifiedEmail(subject)) return 'not_a_member';
  return null;
}

async function link(trx: Executor, provider: IdentityProviderLoginConfig, claims: ProviderClaims, userId: string, now: Date) {
  const id = randomUUID();
  await insertIdentity(trx, {
    id,
    user_id: userId,
    identity_provider_id: provider.id,
    subject: claims.subject,
    email: claims.email?.display ?? null,
    created_at: now.toISOString(),
    last_login_at: null,
  });
  return id;
}

/**
 * The username claim as a base name (§2.1): kept when it is a valid handle (case and width folded); otherwise made
 * one like an email's local part (an Entra `preferred_username` is `alice@corp.example` → `alice`). Taken or reserved
 * names get `-2`, `-3`… from freeUsername.
 */
function usernameBase(claim: string): string {
  const normalized = normalizeUsername(claim);
  // A valid handle is kept, a reserved one too (freeUsername gives it a suffix); anything else is made one.
  return usernameViolation(normalized) === null || reservedUsernames.has(normalized) ? normalized : inferUsername(normalized);
}
