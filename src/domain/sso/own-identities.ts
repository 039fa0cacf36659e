import type { LinkIdentityBody, OwnIdentitiesResponse } from '../../shared/api/sso.js';
import { hasCredential } from '../../storage/queries/credentials.js';
import { deleteIdentityOfUser, identitiesOfUser } from '../../storage/queries/user-identities.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerPerson, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { confirmSensitiveChange } from '../mfa/confirm-sensitive-change.js';
import { revokeOidcAccess } from '../oidc/revoke-oidc-access.js';
import { SsoRefusal } from './sso-refusal.js';
import { providerForLogin, type SsoStart, startAuthorization } from './start-sso.js';

/** `GET /me/identities` (docs/sso.md#linking-from-profile): the caller's links, oldest first. */
export async function listOwnIdentities(ctx: OperationContext): Promise<OwnIdentitiesResponse> {
  const person = callerPerson(ctx);
  const rows = await identitiesOfUser(ctx.database.db, person.userId);
  return {
    items: rows.map((row) => ({
      id: row.id,
      identityProviderId: row.identity_provider_id,
      label: row.label,
      email: row.email,
      createdAt: row.created_at,
      lastLoginAt: row.last_login_at,
    })),
    nextCursor: null,
  };
}

/**
 * `POST /me/identities` (SPEC §12.2 "by hand"): after the current password and, with 2FA on, a second factor, a link
 * request bound to this very session (its digest is in the state row, and the callback must come with the same
 * session cookie, so no other browser can finish it: no login-CSRF link). Answers the provider's authorization URL.
 */
export async function startOwnIdentityLink(ctx: OperationContext, sessionDigest: string | null, body: LinkIdentityBody): Promise<SsoStart> {
  const person = callerPerson(ctx);
  if (!sessionDigest) {
    throw new DomainError('forbidden', 'Link an identity provider from the console, logged in with your browser session.');
  }
  await confirmSensitiveChange(ctx, person.userId, body, 'sso.linked');
  try {
    const provider = await providerForLogin(ctx, body.identityProviderId);
    return await startAuthorization(ctx, provider, {
      purpose: 'link',
      user_id: person.userId,
      session_digest: sessionDigest,
      return_to: '/profile',
    });
  } catch (error) {
    if (!(error instanceof SsoRefusal)) throw error;
    if (error.code === 'unknown_provider') throw new DomainError('not_found', 'No identity provider has this id.');
    throw new DomainError('conflict', 'The identity provider cannot be reached. Try again later, or ask an Owner to test its connection.');
  }
}

/**
 * `DELETE /me/identities/:id`: removes one of the caller's links (`sso.unlinked`). Refused with 409 `last_login_method`
 * when the person has no password and it is their last link: they could never log in again.
 */
export async function unlinkOwnIdentity(ctx: OperationContext, identityId: string): Promise<void> {
  const person = callerPerson(ctx);
  await ctx.database.transact(async (trx) => {
    const links = await identitiesOfUser(trx, person.userId);
    const link = links.find((row) => row.id === identityId);
    if (!link) throw new DomainError('not_found', 'You have no linked identity with this id.');
    if (links.length === 1 && !(await hasCredential(trx, person.userId))) {
      throw new DomainError('last_login_method', 'This is the only way you can log in: link another provider first.');
    }
    await deleteIdentityOfUser(trx, person.userId, identityId);
    // SPEC §12.1: unlinking revokes what Roster's provider issued to the person, as a password change does.
    const oidcRevoked = await revokeOidcAccess(trx, person.userId, 'identity_unlinked');
    await recordAuditEvent(ctx, trx, {
      action: 'sso.unlinked',
      target: { type: 'user', id: person.userId, name: person.username },
      details: { identityProvider: { id: link.identity_provider_id, label: link.label }, email: link.email, oidcRevoked },
    });
  });
}
