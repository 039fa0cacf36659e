import type { Executor } from '../../storage/database.js';
import { deleteExpiredPendingLogins, insertPendingLogin } from '../../storage/queries/mfa-pending-logins.js';
import type { OperationContext } from '../context.js';
import { generateSecret, sha256Hex } from './secrets.js';

/**
 * A pending login (docs/product/security-settings.md#two-factor-authentication): the state between a right password and
 * the second factor. It is its own kind, not a session with a flag: its cookie has its own name, only
 * `POST /auth/second-factor` reads it, and the authentication plugin never looks at it — so no route can forget to
 * refuse it. The row lives in the database (any node continues it) for 5 minutes and takes at most 5 codes.
 */
export const pendingLoginMinutes = 5;
export const pendingLoginMaxCodes = 5;

export interface NewPendingLogin {
  rawId: string;
  expiresAt: Date;
}

/** The digest of the password hash a pending login was opened with: a password changed meanwhile no longer fits. */
export function credentialDigest(passwordHash: string): string {
  return sha256Hex(`roster-pending-login:${passwordHash}`);
}

/**
 * The digest a pending login opened by an identity provider keeps instead (docs/sso.md#two-factor-authentication): the
 * link it came through, so that unlinking (or an administrator's reset, which removes the links) meanwhile ends it.
 */
export function identityDigest(identityId: string): string {
  return sha256Hex(`roster-pending-login-sso:${identityId}`);
}

/** Opens a pending login; `credential` is `credentialDigest(hash)` of a password login or `identityDigest(id)`. */
export async function createPendingLogin(
  ctx: OperationContext,
  trx: Executor,
  userId: string,
  credential: string,
): Promise<NewPendingLogin> {
  const rawId = generateSecret(32);
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + pendingLoginMinutes * 60_000);
  await deleteExpiredPendingLogins(trx, now.toISOString());
  await insertPendingLogin(trx, {
    id_digest: sha256Hex(rawId),
    user_id: userId,
    credential_digest: credential,
    attempts: 0,
    created_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
  });
  return { rawId, expiresAt };
}
