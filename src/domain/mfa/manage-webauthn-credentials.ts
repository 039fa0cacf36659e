import type { WebAuthnCredential, WebAuthnCredentialsResponse } from '../../shared/api/webauthn.js';
import {
  deleteWebAuthnCredential,
  findOwnWebAuthnCredential,
  renameWebAuthnCredential,
  webAuthnCredentialsOf,
} from '../../storage/queries/webauthn.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { type ChangeProof, confirmSensitiveChange } from './confirm-sensitive-change.js';
import { beginFactorChange, finishFactorChange } from './factor-state.js';
import { presentWebAuthnCredential } from './webauthn-credentials.js';
import { webAuthnSupport } from './webauthn-relying-party.js';

/** The caller's security keys and passkeys, oldest first, and whether this server can offer them (and why not). */
export async function listOwnWebAuthnCredentials(ctx: OperationContext): Promise<WebAuthnCredentialsResponse> {
  const { userId } = callerSubject(ctx);
  const support = webAuthnSupport(ctx.config);
  const items = (await webAuthnCredentialsOf(ctx.database.db, userId)).map(presentWebAuthnCredential);
  return support.available
    ? { available: true, relyingPartyId: support.relyingParty.id, unavailableReason: null, items }
    : { available: false, relyingPartyId: null, unavailableReason: support.reason, items };
}

/** Renames one of the caller's keys (a change like any other: current password, and a second factor once 2FA is on). */
export async function renameOwnWebAuthnCredential(
  ctx: OperationContext,
  id: string,
  input: ChangeProof & { name: string },
): Promise<WebAuthnCredential> {
  const subject = callerSubject(ctx);
  const name = input.name.trim();
  if (name.length === 0) {
    throw new DomainError('validation_failed', 'Give the key a name.', { errors: [{ field: '/name', message: 'Give the key a name.' }] });
  }
  if (!(await findOwnWebAuthnCredential(ctx.database.db, subject.userId, id))) throw new DomainError('not_found');
  await confirmSensitiveChange(ctx, subject.userId, input, 'mfa.factor_renamed');
  return ctx.database.transact(async (trx) => {
    const before = await findOwnWebAuthnCredential(trx, subject.userId, id);
    if (!before || !(await renameWebAuthnCredential(trx, subject.userId, id, name))) throw new DomainError('not_found');
    await recordAuditEvent(ctx, trx, {
      action: 'mfa.factor_renamed',
      target: { type: 'user', id: subject.userId, name: subject.username },
      details: { factor: 'webauthn', keyId: id, before: before.name, after: name },
    });
    return presentWebAuthnCredential({ ...before, name });
  });
}

/**
 * Removes one of the caller's keys. Audited as `mfa.factor_removed` (`mfa.disabled` when it was the last factor, which
 * the policy may forbid); of two removals of the same key at once one answers 404.
 */
export async function removeOwnWebAuthnCredential(ctx: OperationContext, id: string, proof: ChangeProof): Promise<void> {
  const subject = callerSubject(ctx);
  if (!(await findOwnWebAuthnCredential(ctx.database.db, subject.userId, id))) throw new DomainError('not_found');
  await confirmSensitiveChange(ctx, subject.userId, proof, 'mfa.factor_removed');
  await ctx.database.transact(async (trx) => {
    const { wasEnabled } = await beginFactorChange(trx, subject.userId);
    const before = await findOwnWebAuthnCredential(trx, subject.userId, id);
    if (!before || !(await deleteWebAuthnCredential(trx, subject.userId, id))) throw new DomainError('not_found');
    // mfa.factor_removed, or mfa.disabled when it was the last factor (refused while the policy requires 2FA).
    await finishFactorChange(ctx, trx, {
      account: { id: subject.userId, username: subject.username },
      wasEnabled,
      factor: { kind: 'webauthn', name: before.name },
      change: 'removed',
    });
  });
}
