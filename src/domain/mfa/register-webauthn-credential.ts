import { randomUUID } from 'node:crypto';
import { generateRegistrationOptions, type RegistrationResponseJSON, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { AddWebAuthnCredentialResponse, FinishWebAuthnRegistrationBody, RegistrationOptions } from '../../shared/api/webauthn.js';
import { countWebAuthnCredentials, insertWebAuthnCredential, webAuthnCredentialsOf } from '../../storage/queries/webauthn.js';
import { recordAuditFailure } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { type ChangeProof, confirmSensitiveChange } from './confirm-sensitive-change.js';
import { beginFactorChange, finishFactorChange } from './factor-state.js';
import { issueWebAuthnChallenge, spendWebAuthnChallenge, webAuthnCeremonyMs } from './webauthn-challenges.js';
import { challengeBytes, maxKeysPerPerson, presentWebAuthnCredential, transportsOf, userHandleOf } from './webauthn-credentials.js';
import { requireRelyingParty } from './webauthn-relying-party.js';

/**
 * Step 1 of adding a security key or passkey (docs/product/security-settings.md#security-keys-and-passkeys): after the
 * current password (and, with 2FA on, a second factor), the options for `navigator.credentials.create()`. The proof
 * is asked here, before the authenticator is touched, so that a wrong password leaves no orphan credential on the
 * key; the challenge it yields is bound to this account and purpose and expires with the ceremony.
 */
export async function startWebAuthnRegistration(ctx: OperationContext, proof: ChangeProof): Promise<RegistrationOptions> {
  const relyingParty = requireRelyingParty(ctx.config);
  const { userId } = callerSubject(ctx);
  const account = await confirmSensitiveChange(ctx, userId, proof, 'mfa.factor_added');
  const existing = await webAuthnCredentialsOf(ctx.database.db, userId);
  if (existing.length >= maxKeysPerPerson) {
    throw new DomainError('conflict', `You already have ${maxKeysPerPerson} security keys and passkeys. Remove one first.`);
  }
  const challenge = await issueWebAuthnChallenge(ctx, 'registration', userId);
  const options = await generateRegistrationOptions({
    rpName: relyingParty.name,
    rpID: relyingParty.id,
    userID: userHandleOf(userId),
    userName: account.username,
    userDisplayName: account.email,
    challenge: challengeBytes(challenge),
    timeout: webAuthnCeremonyMs,
    // docs/decisions/0023-webauthn.md: no attestation (Roster trusts any authenticator the person chooses); a
    // discoverable credential when the authenticator can (a passkey), user verification when it can.
    attestationType: 'none',
    excludeCredentials: existing.map((key) => ({ id: key.credential_id, transports: transportsOf(key) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  return {
    rp: { name: options.rp.name, id: relyingParty.id },
    user: options.user,
    challenge: options.challenge,
    pubKeyCredParams: options.pubKeyCredParams.map((param) => ({ alg: param.alg, type: 'public-key' as const })),
    timeout: webAuthnCeremonyMs,
    excludeCredentials: (options.excludeCredentials ?? []).map((key) => ({
      id: key.id,
      type: 'public-key' as const,
      ...(key.transports ? { transports: key.transports } : {}),
    })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred', requireResidentKey: false },
    attestation: 'none',
    extensions: { credProps: true },
    hints: [],
  };
}

const ceremonyFailed = () =>
  new DomainError('webauthn_failed', 'The security key could not be added: the request expired or was already used. Start again.');

/**
 * Step 2: verifies the new credential against the challenge of step 1 (used once, whatever the outcome) and stores it
 * under the name the person gave. Audited as `mfa.factor_added`, or `mfa.enabled` when it is the person's first factor:
 * then the answer carries the ten recovery codes, shown once.
 */
export async function finishWebAuthnRegistration(
  ctx: OperationContext,
  input: FinishWebAuthnRegistrationBody,
): Promise<AddWebAuthnCredentialResponse> {
  const relyingParty = requireRelyingParty(ctx.config);
  const subject = callerSubject(ctx);
  const name = input.name.trim();
  if (name.length === 0) {
    throw new DomainError('validation_failed', 'Give the key a name.', { errors: [{ field: '/name', message: 'Give the key a name.' }] });
  }
  const expectedChallenge = await spendWebAuthnChallenge(
    ctx,
    input.credential.response.clientDataJSON,
    { purpose: 'registration', userId: subject.userId },
    ceremonyFailed,
  );
  const verification = await verifyRegistrationResponse({
    // The schema admits exactly the fields of RegistrationResponseJSON; only the transports' literal type differs.
    response: input.credential as RegistrationResponseJSON,
    expectedChallenge,
    expectedOrigin: relyingParty.origin,
    expectedRPID: relyingParty.id,
    requireUserVerification: false,
  }).catch(() => null);
  if (!verification?.verified) {
    await recordAuditFailure(ctx, {
      action: 'mfa.factor_added',
      target: { type: 'user', id: subject.userId, name: subject.username },
      details: { factor: 'webauthn', reason: 'verification_failed' },
    });
    throw new DomainError('webauthn_failed');
  }
  const info = verification.registrationInfo;
  const now = ctx.now().toISOString();
  const row = {
    id: randomUUID(),
    user_id: subject.userId,
    name,
    credential_id: info.credential.id,
    public_key: Buffer.from(info.credential.publicKey).toString('base64url'),
    counter: info.credential.counter,
    transports: JSON.stringify(info.credential.transports ?? input.credential.response.transports ?? []),
    discoverable: input.credential.clientExtensionResults.credProps?.rk === true ? (1 as const) : (0 as const),
    backed_up: info.credentialBackedUp ? (1 as const) : (0 as const),
    rp_id: relyingParty.id,
    created_at: now,
  };
  const account = { id: subject.userId, username: subject.username };
  const { recoveryCodes } = await ctx.database
    .transact(async (trx) => {
      const { wasEnabled } = await beginFactorChange(trx, account.id);
      if ((await countWebAuthnCredentials(trx, account.id)) >= maxKeysPerPerson) {
        throw new DomainError('conflict', `You already have ${maxKeysPerPerson} security keys and passkeys. Remove one first.`);
      }
      await insertWebAuthnCredential(trx, row);
      // mfa.factor_added, or mfa.enabled (with the ten recovery codes) when this key turns 2FA on.
      return finishFactorChange(ctx, trx, { account, wasEnabled, factor: { kind: 'webauthn', name }, change: 'added' });
    })
    .catch((error: unknown) => {
      if (ctx.database.isUniqueViolation(error)) throw new DomainError('conflict', 'This security key is already registered.');
      throw error;
    });
  return { credential: presentWebAuthnCredential({ ...row, last_used_at: null }), recoveryCodes };
}
