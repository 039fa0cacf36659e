import { type AuthenticationResponseJSON, generateAuthenticationOptions, verifyAuthenticationResponse } from '@simplewebauthn/server';
import type { Assertion, AssertionOptions } from '../../shared/api/webauthn.js';
import type { Executor } from '../../storage/database.js';
import {
  findWebAuthnCredentialByCredentialId,
  recordWebAuthnUse,
  takeWebAuthnChallenge,
  webAuthnChallengeIsOpen,
  webAuthnCredentialsOf,
} from '../../storage/queries/webauthn.js';
import type { WebAuthnCeremony, WebAuthnCredentialRow } from '../../storage/schema.js';
import type { OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { challengeOfAnswer, issueWebAuthnChallenge, webAuthnCeremonyMs } from './webauthn-challenges.js';
import { challengeBytes, transportsOf, verifiableKey } from './webauthn-credentials.js';
import { type RelyingParty, requireRelyingParty } from './webauthn-relying-party.js';

/** The ceremonies that end in an assertion by a known account: a login's second step, or confirming a change. */
export type AccountAssertionCeremony = Extract<WebAuthnCeremony, 'second_factor' | 'confirmation'>;

/**
 * Options for `navigator.credentials.get()` limited to the account's own keys, for a login's second step or to
 * confirm a sensitive change (docs/product/security-settings.md#security-keys-and-passkeys). User verification is
 * `preferred`: a security key without a PIN is a second factor too (docs/decisions/0023-webauthn.md).
 */
export async function startAccountAssertion(
  ctx: OperationContext,
  userId: string,
  purpose: AccountAssertionCeremony,
): Promise<AssertionOptions> {
  const relyingParty = requireRelyingParty(ctx.config);
  const keys = await webAuthnCredentialsOf(ctx.database.db, userId);
  if (keys.length === 0) throw new DomainError('webauthn_failed', 'This account has no security key or passkey.');
  const challenge = await issueWebAuthnChallenge(ctx, purpose, userId);
  const options = await generateAuthenticationOptions({
    rpID: relyingParty.id,
    challenge: challengeBytes(challenge),
    timeout: webAuthnCeremonyMs,
    userVerification: 'preferred',
    allowCredentials: keys.map((key) => ({ id: key.credential_id, transports: transportsOf(key) })),
  });
  return presentAssertionOptions(options, relyingParty, 'preferred');
}

/** An assertion whose signature checked out, still to be accepted (its challenge spent, its counter moved). */
export interface CheckedAssertion {
  key: WebAuthnCredentialRow;
  challenge: string;
  newCounter: number;
  purpose: AccountAssertionCeremony;
}

/**
 * Checks an assertion by one of the account's own keys against an open challenge issued for it and this purpose,
 * without writing anything (the second-factor seam counts the attempt first, then accepts in its own transaction).
 * Null when anything is wrong: unknown or foreign key, unknown, expired or used challenge, bad signature.
 */
export async function checkAccountAssertion(
  ctx: OperationContext,
  userId: string,
  assertion: Assertion,
  purpose: AccountAssertionCeremony,
): Promise<CheckedAssertion | null> {
  const relyingParty = requireRelyingParty(ctx.config);
  const challenge = challengeOfAnswer(assertion.response.clientDataJSON);
  if (!challenge) return null;
  if (!(await webAuthnChallengeIsOpen(ctx.database.db, challenge, { purpose, userId, now: ctx.now().toISOString() }))) return null;
  const key = await findWebAuthnCredentialByCredentialId(ctx.database.db, assertion.id);
  if (!key || key.user_id !== userId) return null;
  const verification = await verifyAuthenticationResponse({
    // The schema admits exactly the fields of AuthenticationResponseJSON.
    response: assertion as AuthenticationResponseJSON,
    expectedChallenge: challenge,
    expectedOrigin: relyingParty.origin,
    expectedRPID: relyingParty.id,
    credential: verifiableKey(key),
    requireUserVerification: false,
  }).catch(() => null);
  if (!verification?.verified) return null;
  return { key, challenge, newCounter: verification.authenticationInfo.newCounter, purpose };
}

/**
 * Accepts a checked assertion in the caller's transaction: spends its challenge and moves the key's counter, both
 * conditionally, so of two requests carrying the same assertion exactly one gets true.
 */
export async function acceptAccountAssertion(ctx: OperationContext, trx: Executor, checked: CheckedAssertion): Promise<boolean> {
  const now = ctx.now().toISOString();
  const taken = await takeWebAuthnChallenge(trx, checked.challenge, { purpose: checked.purpose, userId: checked.key.user_id, now });
  if (!taken) return false;
  return recordWebAuthnUse(trx, checked.key.id, { previous: Number(checked.key.counter), next: checked.newCounter }, now);
}

/**
 * Verifies the signature, then records the use. The counter moves forward with a conditional update, so of two
 * assertions verified against the same stored counter only one counts (challenges are single use already; this also
 * holds if an authenticator was cloned).
 */
export async function checkAssertion(
  ctx: OperationContext,
  relyingParty: RelyingParty,
  key: WebAuthnCredentialRow,
  assertion: Assertion,
  expectedChallenge: string,
  requireUserVerification: boolean,
): Promise<boolean> {
  const verification = await verifyAuthenticationResponse({
    // The schema admits exactly the fields of AuthenticationResponseJSON.
    response: assertion as AuthenticationResponseJSON,
    expectedChallenge,
    expectedOrigin: relyingParty.origin,
    expectedRPID: relyingParty.id,
    credential: verifiableKey(key),
    requireUserVerification,
  }).catch(() => null);
  if (!verification?.verified) return false;
  if (requireUserVerification && !verification.authenticationInfo.userVerified) return false;
  return recordWebAuthnUse(
    ctx.database.db,
    key.id,
    { previous: Number(key.counter), next: verification.authenticationInfo.newCounter },
    ctx.now().toISOString(),
  );
}

/** The request options as the API declares them. */
export function presentAssertionOptions(
  options: Awaited<ReturnType<typeof generateAuthenticationOptions>>,
  relyingParty: RelyingParty,
  userVerification: AssertionOptions['userVerification'],
): AssertionOptions {
  return {
    challenge: options.challenge,
    timeout: webAuthnCeremonyMs,
    rpId: relyingParty.id,
    allowCredentials: (options.allowCredentials ?? []).map((key) => ({
      id: key.id,
      type: 'public-key' as const,
      ...(key.transports ? { transports: key.transports } : {}),
    })),
    userVerification,
  };
}
