import type { ReauthenticateBody } from '../../shared/api/sso.js';
import { markSessionReauthenticated, sessionReauthenticatedAt } from '../../storage/queries/sessions.js';
import { findIdentityBySubject, identitiesOfUser } from '../../storage/queries/user-identities.js';
import { findUser } from '../../storage/queries/users.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerPerson, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import type { IdentityProviderLoginConfig } from '../identity-providers/load-identity-provider.js';
import { SsoRefusal } from './sso-refusal.js';
import { providerForLogin, type SsoStart, safeReturnTo, startAuthorization } from './start-sso.js';

/**
 * How long a fresh provider login stands in for the current password of a person who has none (SPEC §12.2: "within 5
 * minutes"): counted from the provider's `auth_time`.
 */
export const reauthenticationMinutes = 5;
const windowMs = reauthenticationMinutes * 60_000;
/** How far the provider's clock may run ahead of Roster's. */
const clockToleranceMs = 30_000;

/**
 * `POST /me/reauthenticate` (docs/sso.md#confirming-its-you-without-a-password): a browser session of a person with a
 * linked account at the provider asks it for a fresh login (`max_age=0`, `prompt=login`). The state row is bound to
 * this person and this session; the callback comes back to `returnTo` (a console path, `/profile` by default).
 */
export async function startReauthentication(ctx: OperationContext, body: ReauthenticateBody): Promise<SsoStart> {
  const person = callerPerson(ctx);
  const sessionDigest = ctx.request.sessionDigest ?? null;
  if (!sessionDigest) {
    throw new DomainError('forbidden', 'Confirm it is you from the console, logged in with your browser session.');
  }
  const links = await identitiesOfUser(ctx.database.db, person.userId);
  if (!links.some((link) => link.identity_provider_id === body.identityProviderId)) {
    throw new DomainError('not_found', 'You have no linked account at this identity provider.');
  }
  let provider: IdentityProviderLoginConfig;
  try {
    provider = await providerForLogin(ctx, body.identityProviderId);
  } catch (error) {
    if (!(error instanceof SsoRefusal)) throw error;
    if (error.code === 'unknown_provider') throw new DomainError('not_found', 'No identity provider has this id.');
    throw new DomainError('conflict', 'The identity provider cannot be reached. Try again later, or ask an Owner to test its connection.');
  }
  try {
    return await startAuthorization(
      ctx,
      provider,
      {
        purpose: 'reauth',
        user_id: person.userId,
        session_digest: sessionDigest,
        return_to: body.returnTo === undefined ? '/profile' : safeReturnTo(body.returnTo, ctx.config.publicUrl),
      },
      { max_age: '0', prompt: 'login' },
    );
  } catch (error) {
    throw new DomainError(
      'conflict',
      `The identity provider cannot be reached (${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'}).`,
    );
  }
}

/**
 * The callback of a re-authentication, after openid-client verified the answer (with `maxAge`): the provider's account
 * must be the one linked to the person who started it (`wrong_account` otherwise), and `auth_time` must be present and
 * within the window (`login_not_fresh`). Records the login time on the session and audits `auth.sso_reauthenticated`.
 */
export async function completeReauthentication(
  ctx: OperationContext,
  provider: IdentityProviderLoginConfig,
  binding: { userId: string; sessionDigest: string },
  subject: string,
  authTime: unknown,
): Promise<void> {
  const user = await findUser(ctx.database.db, binding.userId);
  if (user?.status !== 'active') throw new SsoRefusal('account_removed');
  const target = { id: user.id, name: user.username };
  const identity = await findIdentityBySubject(ctx.database.db, provider.id, subject);
  if (identity?.user_id !== binding.userId) throw new SsoRefusal('wrong_account', 'wrong_account', target);
  const now = ctx.now().getTime();
  if (typeof authTime !== 'number' || !Number.isFinite(authTime)) throw new SsoRefusal('login_not_fresh', 'auth_time_missing', target);
  const loggedInAt = authTime * 1000;
  if (loggedInAt < now - windowMs || loggedInAt > now + clockToleranceMs) {
    throw new SsoRefusal('login_not_fresh', 'auth_time_outside_window', target);
  }
  const at = new Date(Math.min(loggedInAt, now)).toISOString();
  await ctx.database.transact(async (trx) => {
    if (!(await markSessionReauthenticated(trx, binding.sessionDigest, binding.userId, at))) {
      throw new SsoRefusal('state_mismatch', 'reauth_session_gone', target);
    }
    await recordAuditEvent(ctx, trx, {
      action: 'auth.sso_reauthenticated',
      target: { type: 'user', ...target },
      details: { identityProvider: { id: provider.id, label: provider.label } },
    });
  });
}

/**
 * Until when the calling session's fresh provider login stands in for the password, or null (none, too old, no
 * session: an API token never re-authenticates).
 */
export async function reauthenticatedUntil(ctx: OperationContext, userId: string): Promise<Date | null> {
  const digest = ctx.request.sessionDigest;
  if (!digest) return null;
  const at = await sessionReauthenticatedAt(ctx.database.db, digest, userId);
  if (!at) return null;
  const until = Date.parse(at) + windowMs;
  return until > ctx.now().getTime() ? new Date(until) : null;
}
