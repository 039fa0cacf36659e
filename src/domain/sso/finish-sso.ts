import { randomUUID } from 'node:crypto';
import type { Configuration } from 'openid-client';
import type { Executor } from '../../storage/database.js';
import { consumeSsoState } from '../../storage/queries/sso-states.js';
import { findIdentityBySubject, insertIdentity, touchIdentity } from '../../storage/queries/user-identities.js';
import { findUser } from '../../storage/queries/users.js';
import { loadAccessSubject } from '../access/load-access-subject.js';
import { recordAuditEvent, recordAuditFailure } from '../audit/record-audit-event.js';
import { constantTimeEqual, sha256Hex } from '../auth/secrets.js';
import type { OperationContext } from '../context.js';
import type { IdentityProviderLoginConfig } from '../identity-providers/load-identity-provider.js';
import { logInWithSso, type SsoLoginResult } from './log-in-with-sso.js';
import { missingClaims, type ProviderClaims, readProviderClaims } from './provider-claims.js';
import { describeError, openIdClient } from './provider-configuration.js';
import { completeReauthentication, reauthenticationMinutes } from './reauthenticate.js';
import { SsoRefusal } from './sso-refusal.js';
import { providerForLogin } from './start-sso.js';

/** What a callback ends in: a login (a session or the second-factor step) with where to go, or a new link. */
export type SsoOutcome =
  | (SsoLoginResult & { returnTo: string })
  | { kind: 'linked'; label: string }
  | { kind: 'reauthenticated'; returnTo: string };

type SsoPurpose = 'login' | 'link' | 'reauth';

/**
 * A refusal with the purpose it interrupted (a link goes back to Profile, a login to the login page, a re-authentication
 * to the page that asked, `returnTo`).
 */
export class SsoCallbackRefusal extends Error {
  constructor(
    readonly refusal: SsoRefusal,
    readonly purpose: SsoPurpose,
    readonly returnTo: string | null = null,
  ) {
    super(refusal.message);
    this.name = 'SsoCallbackRefusal';
  }
}

/**
 * `GET /auth/sso/:id/callback` (SPEC §12.2, docs/sso.md#logging-in): checks that the `state` is the one this browser's
 * cookie holds and consumes its row (once), redeems the code with openid-client (state, nonce and PKCE checked, the ID
 * token verified), reads the claims (UserInfo for configured claims the ID token lacks), then logs in or links. Every
 * refusal is audited as `auth.sso_login_failed` with its reason and thrown as SsoCallbackRefusal.
 */
export async function finishSso(
  ctx: OperationContext,
  providerId: string,
  input: { handle: string | undefined; currentUrl: URL; sessionDigest: string | null },
): Promise<SsoOutcome> {
  let purpose: SsoPurpose = 'login';
  let returnTo: string | null = null;
  let provider: IdentityProviderLoginConfig | null = null;
  try {
    provider = await providerForLogin(ctx, providerId);
    const state = input.currentUrl.searchParams.get('state');
    if (!input.handle || !state || !constantTimeEqual(input.handle, state)) throw new SsoRefusal('state_mismatch');
    const row = await ctx.database.transact((trx) =>
      consumeSsoState(trx, sha256Hex(input.handle ?? ''), providerId, ctx.now().toISOString()),
    );
    if (!row) throw new SsoRefusal('expired', 'expired_or_used');
    purpose = row.purpose;
    if (purpose === 'reauth') returnTo = row.return_to ?? '/profile';
    if (
      (purpose === 'link' || purpose === 'reauth') &&
      (!input.sessionDigest || !row.session_digest || !constantTimeEqual(input.sessionDigest, row.session_digest))
    ) {
      throw new SsoRefusal('state_mismatch', `${purpose}_session_mismatch`);
    }
    const { claims, authTime } = await redeem(ctx, provider, input.currentUrl, {
      handle: input.handle,
      nonce: row.nonce,
      codeVerifier: row.code_verifier,
      // A re-authentication asked max_age=0: the library then requires auth_time and refuses one older than this.
      maxAge: purpose === 'reauth' ? reauthenticationMinutes * 60 : undefined,
    });
    const chosen = provider;
    if (purpose === 'reauth') {
      if (!row.user_id || !input.sessionDigest) throw new SsoRefusal('state_mismatch', 'reauth_without_person');
      await completeReauthentication(ctx, chosen, { userId: row.user_id, sessionDigest: input.sessionDigest }, claims.subject, authTime);
      return { kind: 'reauthenticated', returnTo: returnTo ?? '/profile' };
    }
    if (purpose === 'link') {
      const userId = row.user_id;
      if (!userId) throw new SsoRefusal('state_mismatch', 'link_without_person');
      const label = await ctx.database.transact((trx) => linkIdentity(ctx, trx, chosen, claims, userId));
      return { kind: 'linked', label };
    }
    const result = await transactWithRetry(ctx, (trx) => logInWithSso(ctx, trx, chosen, claims));
    return { ...result, returnTo: row.return_to ?? '/' };
  } catch (error) {
    if (!(error instanceof SsoRefusal)) throw error;
    await recordAuditFailure(ctx, {
      action: 'auth.sso_login_failed',
      target: { type: 'user', id: error.target?.id ?? null, name: error.target?.name ?? null },
      details: {
        reason: error.reason,
        purpose,
        ...(provider ? { identityProvider: { id: provider.id, label: provider.label } } : { identityProviderId: providerId.slice(0, 100) }),
      },
    });
    throw new SsoCallbackRefusal(error, purpose, returnTo);
  }
}

/** Two first logins of one person at once: the second sees the first's link after a unique violation, and retries. */
async function transactWithRetry<T>(ctx: OperationContext, work: (trx: Executor) => Promise<T>): Promise<T> {
  try {
    return await ctx.database.transact(work);
  } catch (error) {
    if (!ctx.database.isUniqueViolation(error)) throw error;
    return ctx.database.transact(work);
  }
}

/** The code → tokens → claims exchange; the library checks state, nonce, PKCE, the issuer and the ID token's signature. */
async function redeem(
  ctx: OperationContext,
  provider: IdentityProviderLoginConfig,
  currentUrl: URL,
  checks: { handle: string; nonce: string; codeVerifier: string; maxAge: number | undefined },
): Promise<{ claims: ProviderClaims; authTime: unknown }> {
  const client = await openIdClient();
  const config: Configuration = await ctx.providerDiscovery.configurationOf(provider, 'callback');
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(
      config,
      currentUrl,
      {
        expectedState: checks.handle,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.codeVerifier,
        idTokenExpected: true,
        ...(checks.maxAge === undefined ? {} : { maxAge: checks.maxAge }),
      },
      { redirect_uri: provider.redirectUri },
    );
  } catch (error) {
    if (error instanceof client.AuthorizationResponseError) {
      throw new SsoRefusal('provider_error', `provider_error: ${error.error}`);
    }
    const message = describeError(error);
    if (/nonce/i.test(message)) throw new SsoRefusal('provider_error', 'nonce_mismatch');
    if (/auth_time|too much time has elapsed/i.test(message)) throw new SsoRefusal('login_not_fresh', `login_not_fresh: ${message}`);
    if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|TimeoutError|fetch failed/i.test(message)) {
      throw new SsoRefusal('provider_unavailable', `provider_unavailable: ${message}`);
    }
    throw new SsoRefusal('provider_error', `provider_error: ${message}`);
  }
  let claims: Record<string, unknown> = { ...(tokens.claims() ?? {}) };
  const authTime = claims.auth_time;
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new SsoRefusal('provider_error', 'provider_error: no sub');
  if (missingClaims(provider, claims).length > 0 && config.serverMetadata().userinfo_endpoint) {
    try {
      const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      // The ID token's claims win; UserInfo only fills the gaps.
      claims = { ...userinfo, ...claims };
    } catch (error) {
      throw new SsoRefusal('provider_error', `userinfo: ${describeError(error)}`);
    }
  }
  return { claims: readProviderClaims(provider, claims), authTime };
}

/**
 * The link purpose (docs/sso.md#linking-from-profile): the person who started it from Profile, with the same session,
 * gets the provider's subject linked, unless another person has it (`identity_taken`). `sso.linked` via `profile`.
 */
async function linkIdentity(
  ctx: OperationContext,
  trx: Executor,
  provider: IdentityProviderLoginConfig,
  claims: ProviderClaims,
  userId: string,
): Promise<string> {
  const user = await findUser(trx, userId);
  if (user?.status !== 'active') throw new SsoRefusal('account_removed');
  const target = { id: user.id, name: user.username };
  const existing = await findIdentityBySubject(trx, provider.id, claims.subject);
  const now = ctx.now().toISOString();
  if (existing && existing.user_id !== userId) throw new SsoRefusal('identity_taken', 'identity_taken', target);
  if (existing) {
    await touchIdentity(trx, existing.id, now, claims.email?.display ?? null);
    return provider.label;
  }
  await insertIdentity(trx, {
    id: randomUUID(),
    user_id: userId,
    identity_provider_id: provider.id,
    subject: claims.subject,
    email: claims.email?.display ?? null,
    created_at: now,
    last_login_at: null,
  });
  const subject = await loadAccessSubject(trx, userId);
  const actorCtx: OperationContext = subject ? { ...ctx, caller: { kind: 'user', subject } } : ctx;
  await recordAuditEvent(actorCtx, trx, {
    action: 'sso.linked',
    target: { type: 'user', ...target },
    details: { identityProvider: { id: provider.id, label: provider.label }, via: 'profile', email: claims.email?.display ?? null },
  });
  return provider.label;
}
