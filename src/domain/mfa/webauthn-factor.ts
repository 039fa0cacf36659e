import type { Executor } from '../../storage/database.js';
import { countWebAuthnCredentials, deleteUserWebAuthnChallenges, deleteUserWebAuthnCredentials } from '../../storage/queries/webauthn.js';
import type { SecondFactorKind } from './second-factors.js';
import { acceptAccountAssertion, checkAccountAssertion } from './webauthn-assertions.js';

/**
 * Security keys and passkeys as a second factor (docs/product/security-settings.md#security-keys-and-passkeys): an
 * assertion made for a challenge of this account — `second_factor` for a login's second step, `confirmation` for a
 * change — checked without writing, and accepted in the caller's transaction (challenge spent, counter moved), so of
 * two requests with the same assertion exactly one is accepted.
 */
export const webAuthnFactor: SecondFactorKind = {
  name: 'webauthn',
  countsAsFactor: true,
  async methods(db, userId) {
    return (await countWebAuthnCredentials(db, userId)) > 0 ? ['webauthn'] : [];
  },
  async check(ctx, userId, input, purpose) {
    if (!('webauthn' in input)) return null;
    const checked = await checkAccountAssertion(ctx, userId, input.webauthn, purpose.kind === 'login' ? 'second_factor' : 'confirmation');
    if (!checked) return null;
    return { method: 'webauthn', accept: (trx: Executor) => acceptAccountAssertion(ctx, trx, checked) };
  },
  async removeAll(trx, userId) {
    await deleteUserWebAuthnChallenges(trx, userId);
    return deleteUserWebAuthnCredentials(trx, userId);
  },
};
