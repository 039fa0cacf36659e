import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { expect } from 'vitest';
import type { TestUser } from './factories.js';
import { type Answer, injectTransport, SessionClient, sessionCookieOf } from './session.js';
import type { TestApp } from './test-app.js';

/** A secret key for test apps, so that PostgreSQL (which has no key file) can store TOTP seeds too. */
export const testSecretKeyEnv = { ROSTER_SECRET_KEY: randomBytes(32).toString('base64') };

/** The TOTP code of `secret` at `at` (RFC 6238, SHA-1, 6 digits, 30 s), as an authenticator app shows it. */
export function totpCode(secret: string, at: Date, stepOffset = 0): string {
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
  return totp.generate({ timestamp: at.getTime() + stepOffset * 30_000 });
}

/** `roster_pending_login=…` from an answer's Set-Cookie header, or null. */
export function pendingCookieOf(answer: Answer): string | null {
  const header = answer.headers['set-cookie'];
  const cookies = Array.isArray(header) ? header : header === undefined ? [] : [String(header)];
  const pending = cookies.find((cookie) => cookie.startsWith('roster_pending_login=') && !cookie.startsWith('roster_pending_login=;'));
  return pending ? (pending.split(';')[0] ?? null) : null;
}

export interface TwoFactorUser extends TestUser {
  secret: string;
  recoveryCodes: string[];
}

/** Logs in (no 2FA yet) and turns 2FA on with an authenticator app; the clock moves one step so codes are fresh. */
export async function enableTotp(t: TestApp, user: TestUser): Promise<TwoFactorUser> {
  const client = await logInFully(t, user);
  const started = await client.post('/api/v1/me/mfa/totp', { currentPassword: user.password });
  expect(started.statusCode, started.body).toBe(200);
  const { secret } = started.json() as { secret: string };
  const confirmed = await client.post('/api/v1/me/mfa/totp/confirm', { code: totpCode(secret, t.clock.now()) });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  t.clock.advance(30_000);
  return { ...user, secret, recoveryCodes: confirmed.json().recoveryCodes as string[] };
}

/** POST /auth/login; returns the answer and the pending-login cookie when the account has 2FA. */
export async function passwordStep(
  t: TestApp,
  user: { user: { username: string }; password: string },
  headers: Record<string, string> = {},
) {
  const answer = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers,
    payload: { login: user.user.username, password: user.password },
  });
  return { answer, pending: pendingCookieOf(answer) };
}

/** POST /auth/second-factor with a pending-login cookie. */
export function secondFactorStep(t: TestApp, pending: string | null, body: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/second-factor',
    headers: { ...(pending ? { cookie: pending } : {}), ...headers },
    payload: body as Record<string, unknown>,
  });
}

/** A complete login as a browser: the password, and the current TOTP code when the account has 2FA. */
export async function logInFully(t: TestApp, user: TestUser & { secret?: string }): Promise<SessionClient> {
  const { answer, pending } = await passwordStep(t, user);
  expect(answer.statusCode, answer.body).toBe(200);
  let final = answer;
  if (answer.json().secondFactorRequired) {
    if (!user.secret) throw new Error('2FA is on but the test user has no secret');
    final = await secondFactorStep(t, pending, { code: totpCode(user.secret, t.clock.now()) });
    expect(final.statusCode, final.body).toBe(200);
    t.clock.advance(30_000);
  }
  const cookie = sessionCookieOf(final);
  if (!cookie) throw new Error('no session cookie');
  return new SessionClient(injectTransport(t.app), cookie, final.json().csrfToken as string);
}
