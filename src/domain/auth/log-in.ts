import type { UserRow } from '../../storage/schema.js';
import { recordAuditEvent, recordAuditFailure } from '../audit/record-audit-event.js';
import type { OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { loginKey } from '../people/identity.js';
import { presentUser, type UserView } from '../people/present-user.js';
import { createSession } from '../sessions/create-session.js';
import { isLocked, registerLoginFailure } from './lockout.js';
import { maxPasswordLength, normalizePassword } from './password-policy.js';

export interface LoginResult {
  user: UserView;
  mustChangePassword: boolean;
  session: { rawId: string; csrfToken: string; expiresAt: Date };
}

/**
 * Checks a login name and password (SPEC §4.3, §5.1–§5.3). Unknown user, wrong password, locked account and spent
 * temporary password all throw the same `invalid_credentials`; the audit log keeps the real reason.
 */
export async function logIn(ctx: OperationContext, input: { login: string; password: string }): Promise<LoginResult> {
  const password = normalizePassword(input.password);
  const key = loginKey(input.login);
  const db = ctx.database.db;
  const user = await db
    .selectFrom('users')
    .innerJoin('credentials', 'credentials.user_id', 'users.id')
    .selectAll('users')
    .select(['credentials.password_hash', 'credentials.is_temporary', 'credentials.expires_at', 'credentials.used_at'])
    .where(key.kind === 'email' ? 'users.email_canonical' : 'users.username', '=', key.value)
    .where('users.status', '=', 'active')
    .executeTakeFirst();

  // Over-long input is never hashed (§5.1), but still costs one dummy verification so its timing says nothing.
  const tooLong = [...password].length > maxPasswordLength;
  const matches = await ctx.hasher.verify(tooLong ? null : (user?.password_hash ?? null), tooLong ? '' : password);
  const now = ctx.now();

  if (!user) {
    await recordAuditFailure(ctx, {
      action: 'auth.login_failed',
      target: { type: 'user', id: null, name: input.login.slice(0, 100) },
      details: { reason: 'unknown_user' },
    });
    throw new DomainError('invalid_credentials');
  }
  const refusal = loginRefusal(user, matches, now);
  if (refusal) {
    await registerLoginFailure(ctx, user, refusal);
    throw new DomainError('invalid_credentials');
  }

  const rehash = user.is_temporary === 0 && ctx.hasher.needsRehash(user.password_hash) ? await ctx.hasher.hash(password) : null;
  const restricted = user.must_change_password === 1;
  const userCtx: OperationContext = { ...ctx, actor: { kind: 'user', id: user.id, username: user.username } };
  const session = await ctx.database.transact(async (trx) => {
    await trx
      .updateTable('users')
      .set({ failed_login_count: 0, last_failed_login_at: null, locked_until: null, last_seen_at: now.toISOString() })
      .where('id', '=', user.id)
      .execute();
    if (user.is_temporary === 1) {
      await trx.updateTable('credentials').set({ used_at: now.toISOString() }).where('user_id', '=', user.id).execute();
    }
    if (rehash) {
      await trx
        .updateTable('credentials')
        .set({ password_hash: rehash, updated_at: now.toISOString() })
        .where('user_id', '=', user.id)
        .execute();
    }
    const created = await createSession(userCtx, trx, user.id, restricted);
    await recordAuditEvent(userCtx, trx, {
      action: 'auth.login',
      target: { type: 'user', id: user.id, name: user.username },
      details: { restricted, temporaryPassword: user.is_temporary === 1 },
    });
    return created;
  });
  return {
    user: presentUser({ ...user, last_seen_at: now.toISOString() }),
    mustChangePassword: restricted,
    session,
  };
}

type LoginCandidate = Pick<UserRow, 'locked_until'> & { is_temporary: number; expires_at: string | null; used_at: string | null };

/** Why a login with a known account is refused, or null when it succeeds. */
function loginRefusal(user: LoginCandidate, passwordMatches: boolean, now: Date): string | null {
  if (isLocked(user.locked_until, now)) return 'locked';
  if (!passwordMatches) return 'wrong_password';
  if (user.is_temporary === 1) {
    if (user.used_at !== null) return 'temporary_password_used';
    if (user.expires_at !== null && Date.parse(user.expires_at) <= now.getTime()) return 'temporary_password_expired';
  }
  return null;
}
