import type { Executor } from '../../storage/database.js';
import { deleteOidcPayloadsOfAccount } from '../../storage/queries/oidc-payloads.js';

/** The changes to a person after which no application may keep trusting what the provider issued to them. */
type OidcRevocationReason =
  | 'person_removed'
  | 'password_reset'
  | 'mfa_reset'
  | 'sessions_ended'
  | 'password_changed'
  | 'email_changed'
  | 'identity_unlinked'
  | 'service_account_removed';

/**
 * Revokes everything the OpenID Connect provider holds for a person — provider sessions, grants, authorization codes,
 * access and refresh tokens, in every application — inside the caller's transaction, so the change and the revocation
 * commit together (docs/decisions/0024-openid-connect-provider.md). The next refresh, introspection or userinfo call
 * of any application finds nothing. `reason` names the trigger at the call site; the operation's own audit event
 * records what happened, with the count this returns (`oidcRevoked`).
 */
// biome-ignore lint/correctness/noUnusedFunctionParameters: it names the trigger at each call site; the audit event records it.
export function revokeOidcAccess(trx: Executor, userId: string, reason: OidcRevocationReason): Promise<number> {
  return deleteOidcPayloadsOfAccount(trx, userId);
}
