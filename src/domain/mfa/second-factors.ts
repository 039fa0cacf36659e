import type { SecondFactor, SecondFactorMethod } from '../../shared/api/mfa.js';
import type { Executor } from '../../storage/database.js';
import type { OperationContext } from '../context.js';

/**
 * THE seam between the login and step-up flows and the kinds of second factor
 * (docs/product/security-settings.md#two-factor-authentication). Each kind — authenticator app, recovery codes,
 * WebAuthn — is one `SecondFactorKind` in `factor-kinds.ts`; the flows never name a kind:
 *
 * - "has this account 2FA?" is `users.mfa_enabled`, which `refreshMfaEnabled` recomputes from every kind whose
 *   `countsAsFactor` is true (recovery codes do not: they back up a factor, they are not one);
 * - the methods a login offers are the union of every kind's `methods`;
 * - a code or assertion is offered to every kind in turn; the first whose `check` recognises it decides;
 * - an administrator reset calls every kind's `removeAll`.
 */

/** Why a factor is checked: to finish a login (WebAuthn binds its challenge to the pending login), or a step-up. */
export type FactorPurpose = { kind: 'login'; pendingLoginDigest: string } | { kind: 'step_up' };

/** A second factor that matched. `accept` spends it in the caller's transaction; false when another request did first. */
export interface AcceptedFactor {
  method: SecondFactorMethod;
  accept(trx: Executor): Promise<boolean>;
}

export interface SecondFactorKind {
  /** For the audit log and messages (`totp`, `recovery_codes`, `webauthn`). */
  name: string;
  /** True when having one makes 2FA on; false for recovery codes. */
  countsAsFactor: boolean;
  /** The login methods this kind offers the account now (empty: nothing set up). */
  methods(db: Executor, userId: string): Promise<SecondFactorMethod[]>;
  /**
   * Checks what the person sent: null when this kind does not recognise it (not its input, or wrong), else the factor,
   * still to be accepted. Must not write: the caller counts the attempt first and accepts in its own transaction.
   */
  check(ctx: OperationContext, userId: string, input: SecondFactor, purpose: FactorPurpose): Promise<AcceptedFactor | null>;
  /** Removes every factor of this kind of the account (an administrator reset); how many there were. */
  removeAll(trx: Executor, userId: string): Promise<number>;
}
