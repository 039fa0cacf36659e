import { beforeEach, describe, expect, it } from 'vitest';
import { createOwner } from '../../src/domain/bootstrap/create-owner.js';
import { describeEachDatabase } from '../support/databases.js';
import { buildMember } from '../support/factories.js';
import { loginAs, postLogin } from '../support/session.js';
import { useTestApp } from '../support/test-app.js';

const goodPassword = 'correct horse battery staple 42';

describeEachDatabase('first login with a temporary password', (dialect) => {
  const t = useTestApp(dialect);

  async function freshOwner(username: string) {
    const created = await createOwner(t().cliContext(), { username, email: `${username}@example.com` });
    if (!created) throw new Error('not created');
    return created;
  }

  it('gives a restricted session that may only read /me, change the password and log out', async () => {
    const { temporaryPassword } = await freshOwner('first-a');
    const login = await postLogin(t().app, 'first-a', temporaryPassword);
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ mustChangePassword: true, user: { username: 'first-a', role: 'owner' } });
    const client = await loginAs(t().app, 'first-a@example.com', temporaryPassword).catch((e: Error) => e);
    // Temporary passwords are single-use (docs/product/security-settings.md#temporary-passwords): the second login with
    // it fails.
    expect(client).toBeInstanceOf(Error);

    const cookie = login.cookies.find((c) => c.name === 'roster_session');
    const headers = { cookie: `roster_session=${cookie?.value}`, 'x-csrf-token': login.json().csrfToken };
    const me = await t().app.inject({ method: 'GET', url: '/api/v1/me', headers });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { mustChangePassword: true }, permissions: [] });
    expect(me.json().abilities.viewPeople).toBe(false);

    const other = await t().app.inject({ method: 'GET', url: '/api/v1/openapi.json', headers });
    expect(other.statusCode).toBe(200); // the public API description needs no login at all
    const denied = await t().app.inject({ method: 'POST', url: '/api/v1/auth/password-reset-nope', headers, payload: {} });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('password_change_required');
  });

  it('refuses new passwords that equal the temporary one, are short or are on the blocklist', async () => {
    const { temporaryPassword } = await freshOwner('first-b');
    const login = await postLogin(t().app, 'first-b', temporaryPassword);
    const cookie = `roster_session=${login.cookies.find((c) => c.name === 'roster_session')?.value}`;
    const headers = { cookie, 'x-csrf-token': login.json().csrfToken };
    for (const newPassword of [temporaryPassword, 'short-password', 'passwordpassword', 'first-b@example.com']) {
      const response = await t().app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers,
        payload: { currentPassword: temporaryPassword, newPassword },
      });
      expect(response.statusCode, newPassword).toBe(400);
      expect(response.json().code).toBe('password_policy');
      expect(response.body).not.toContain(temporaryPassword);
    }
  });

  it('grants full access after a good new password and retires the temporary one', async () => {
    const { temporaryPassword } = await freshOwner('first-c');
    const login = await postLogin(t().app, 'first-c', temporaryPassword);
    const oldCookie = `roster_session=${login.cookies.find((c) => c.name === 'roster_session')?.value}`;
    const changed = await t().app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie: oldCookie, 'x-csrf-token': login.json().csrfToken },
      payload: { currentPassword: temporaryPassword, newPassword: goodPassword },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().mustChangePassword).toBe(false);
    const newCookie = changed.cookies.find((c) => c.name === 'roster_session')?.value;
    expect(newCookie).toBeTruthy();
    expect(`roster_session=${newCookie}`).not.toBe(oldCookie);

    // The old session id is gone (rotated); the new one has full access.
    expect((await t().app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: oldCookie } })).statusCode).toBe(401);
    const me = await t().app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `roster_session=${newCookie}` } });
    expect(me.json()).toMatchObject({ user: { mustChangePassword: false }, effectiveRole: 'owner', abilities: { viewPeople: true } });

    expect((await postLogin(t().app, 'first-c', temporaryPassword)).statusCode).toBe(401);
    expect((await postLogin(t().app, 'FIRST-C', goodPassword)).statusCode).toBe(200);
  });

  it('expires an unused temporary password after its lifetime', async () => {
    const { temporaryPassword } = await freshOwner('first-d');
    t().clock.advanceMinutes(72 * 60 + 1);
    expect((await postLogin(t().app, 'first-d', temporaryPassword)).statusCode).toBe(401);
  });

  it('accepts a temporary password just before 72 hours and refuses it just after', async () => {
    const before = await freshOwner('first-e');
    const after = await freshOwner('first-f');
    t().clock.advanceMinutes(72 * 60 - 1);
    expect((await postLogin(t().app, 'first-e', before.temporaryPassword)).statusCode).toBe(200);
    t().clock.advanceMinutes(2);
    const late = await postLogin(t().app, 'first-f', after.temporaryPassword);
    expect(late.statusCode).toBe(401);
    expect(late.json().code).toBe('invalid_credentials');
  });
});

// docs/product/security-settings.md#login-throttling
describeEachDatabase('the lockout schedule', (dialect) => {
  // Each attempt comes from its own address (trusted X-Forwarded-For), so the per-address limit stays out of the way.
  const t = useTestApp(dialect, { env: { ROSTER_TRUSTED_PROXIES: '127.0.0.1' } });
  let addressCounter = 0;
  const attempt = (login: string, password: string) => {
    addressCounter++;
    return postLogin(t().app, login, password, { 'x-forwarded-for': `10.77.${addressCounter >> 8}.${addressCounter & 255}` });
  };
  const wrong = 'not the password, sorry';
  const counters = (id: string) =>
    t()
      .services.database.db.selectFrom('users')
      .select(['failed_login_count', 'locked_until'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
      .then((row) => ({ failures: Number(row.failed_login_count), lockedUntil: row.locked_until }));

  it('locks for 1 minute after the 5th failure, doubles per further failure up to 15, and a login resets it', async () => {
    const { user, password } = await buildMember(t());
    for (let i = 0; i < 4; i++) expect((await attempt(user.username, wrong)).statusCode).toBe(401);
    expect(await counters(user.id)).toEqual({ failures: 4, lockedUntil: null });

    for (const [failures, minutes] of [
      [5, 1],
      [6, 2],
      [7, 4],
      [8, 8],
      [9, 15],
      [10, 15],
    ] as const) {
      const failedAt = t().clock.now().getTime();
      expect((await attempt(user.username, wrong)).statusCode).toBe(401);
      const after = await counters(user.id);
      expect(after.failures).toBe(failures);
      expect(Date.parse(after.lockedUntil ?? '') - failedAt, `failure ${failures}`).toBe(minutes * 60_000);
      // A second before the lock ends even the right password is refused, and the refusal does not add a failure.
      t().clock.advance(minutes * 60_000 - 1000);
      expect((await attempt(user.username, password)).statusCode).toBe(401);
      expect((await counters(user.id)).failures).toBe(failures);
      t().clock.advance(1000);
    }

    // The lock has run out: the right password logs in and resets the count.
    expect((await attempt(user.username, password)).statusCode).toBe(200);
    expect(await counters(user.id)).toEqual({ failures: 0, lockedUntil: null });
    for (let i = 0; i < 4; i++) await attempt(user.username, wrong);
    expect((await counters(user.id)).lockedUntil).toBeNull();
    const failedAt = t().clock.now().getTime();
    await attempt(user.username, wrong);
    expect(Date.parse((await counters(user.id)).lockedUntil ?? '') - failedAt).toBe(60_000);
  });

  it('remembers failures for 12 hours after the last one, then forgets them', async () => {
    const remembered = await buildMember(t());
    const forgotten = await buildMember(t());
    for (let i = 0; i < 4; i++) {
      await attempt(remembered.user.username, wrong);
      await attempt(forgotten.user.username, wrong);
    }
    t().clock.advanceMinutes(12 * 60 - 1);
    await attempt(remembered.user.username, wrong);
    expect(await counters(remembered.user.id)).toMatchObject({ failures: 5, lockedUntil: expect.any(String) });

    t().clock.advanceMinutes(2);
    await attempt(forgotten.user.username, wrong);
    expect(await counters(forgotten.user.id)).toEqual({ failures: 1, lockedUntil: null });
    for (let i = 0; i < 3; i++) await attempt(forgotten.user.username, wrong);
    expect(await counters(forgotten.user.id)).toEqual({ failures: 4, lockedUntil: null });
    expect((await attempt(forgotten.user.username, forgotten.password)).statusCode).toBe(200);
  });
});

describeEachDatabase('login failures and lockout', (dialect) => {
  const t = useTestApp(dialect);
  // Each case starts with a clean per-IP window (10 failures a minute) so the cases do not throttle each other.
  beforeEach(() => t().clock.advanceMinutes(2));

  it('locks at the fifth failure, answers like a wrong password while locked, and unlocks after the wait', async () => {
    const { user, password } = await buildMember(t());
    const headers = { 'x-forwarded-for': '10.0.0.1' };
    for (let i = 0; i < 5; i++) expect((await postLogin(t().app, user.username, 'wrong password here!', headers)).statusCode).toBe(401);
    const wrong = await postLogin(t().app, user.username, 'wrong password again', headers);
    const locked = await postLogin(t().app, user.username, password, headers);
    expect(locked.statusCode).toBe(401);
    expect(locked.body).toBe(wrong.body);
    t().clock.advanceMinutes(5);
    expect((await postLogin(t().app, user.username, password)).statusCode).toBe(200);
  });

  it('gives byte-identical 401 bodies for an unknown user, a wrong password and a locked account', async () => {
    const { user } = await buildMember(t());
    const unknown = await postLogin(t().app, 'nobody-here', 'some long password 1');
    const wrong = await postLogin(t().app, user.username, 'some long password 1');
    for (let i = 0; i < 4; i++) await postLogin(t().app, user.username, 'some long password 1');
    const locked = await postLogin(t().app, user.username, 'some long password 1');
    expect(unknown.statusCode).toBe(401);
    expect(new Set([unknown.body, wrong.body, locked.body]).size).toBe(1);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
  });

  it('records failed logins, the lock and refusals while locked in the audit log', async () => {
    const { user } = await buildMember(t());
    for (let i = 0; i < 6; i++) await postLogin(t().app, user.username, 'wrong password here!');
    const events = await t()
      .services.database.db.selectFrom('audit_events')
      .select(['action', 'outcome', 'details'])
      .where('target_id', '=', user.id)
      .orderBy('seq')
      .execute();
    const reasons = events.filter((e) => e.action === 'auth.login_failed').map((e) => (JSON.parse(e.details) as { reason: string }).reason);
    expect(reasons).toEqual(['wrong_password', 'wrong_password', 'wrong_password', 'wrong_password', 'wrong_password', 'locked']);
    // The fifth failure starts the lock.
    expect(events.map((e) => e.action).indexOf('auth.locked')).toBe(5);
    expect(events.filter((e) => e.action === 'auth.locked')).toHaveLength(1);
    expect(events.every((e) => e.outcome === 'failure')).toBe(true);
  });

  it('limits failed logins per client IP with 429 and Retry-After', async () => {
    for (let i = 0; i < 10; i++) await postLogin(t().app, `ghost-${i}`, 'whatever password 123');
    const limited = await postLogin(t().app, 'ghost-x', 'whatever password 123');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    t().clock.advanceMinutes(1);
    expect((await postLogin(t().app, 'ghost-y', 'whatever password 123')).statusCode).toBe(401);
  });
});

describeEachDatabase('sessions, cookies and CSRF', (dialect) => {
  const t = useTestApp(dialect);

  it('sets an HttpOnly, SameSite=Lax, Path=/ cookie without Secure on plain http', async () => {
    const response = await postLogin(t().app, t().owner.user.username, t().owner.password);
    const cookie = response.cookies.find((c) => c.name === 'roster_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The database keeps only a digest of the id.
    const stored = await t().services.database.db.selectFrom('sessions').select('id_digest').execute();
    expect(stored.map((s) => s.id_digest)).not.toContain(cookie?.value);
  });

  it('ends the session on logout', async () => {
    const client = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const cookie = client.cookie;
    expect((await client.post('/api/v1/auth/logout')).statusCode).toBe(204);
    const after = await t().app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('refuses a cookie-authenticated write without the CSRF token or from another origin', async () => {
    const client = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const body = { currentPassword: t().owner.password, newPassword: goodPassword };
    const noToken = await t().app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie: client.cookie },
      payload: body,
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().code).toBe('csrf_failed');
    const foreign = await client.request('POST', '/api/v1/auth/password', body, { origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    const crossSite = await client.request('POST', '/api/v1/auth/logout', {}, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.statusCode).toBe(403);
    expect((await client.get('/api/v1/me')).statusCode).toBe(200);
    const rejected = await t()
      .services.database.db.selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'auth.csrf_rejected')
      .execute();
    expect(rejected.length).toBeGreaterThanOrEqual(3);
  });

  it('expires sessions after the idle timeout and the absolute lifetime', async () => {
    const idle = await loginAs(t().app, t().owner.user.username, t().owner.password);
    t().clock.advanceMinutes(61);
    expect((await idle.get('/api/v1/me')).statusCode).toBe(401);

    const busy = await loginAs(t().app, t().owner.user.username, t().owner.password);
    for (let hour = 0; hour < 24; hour++) {
      t().clock.advanceMinutes(59);
      expect((await busy.get('/api/v1/me')).statusCode).toBe(200);
    }
    t().clock.advanceMinutes(59);
    expect((await busy.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('sends security headers on JSON, errors and 404s', async () => {
    for (const url of ['/api/v1/me', '/api/v1/does-not-exist', '/healthz']) {
      const response = await t().app.inject({ method: 'GET', url });
      expect(response.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      expect(response.headers['referrer-policy'], url).toBe('no-referrer');
      expect(response.headers['cross-origin-opener-policy'], url).toBe('same-origin');
    }
    const api = await t().app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(api.headers['cache-control']).toBe('no-store');
  });
});

describe('https deployments', () => {
  it('uses a __Host- cookie with Secure and sends HSTS', async () => {
    const { createTestApp } = await import('../support/test-app.js');
    const t = await createTestApp('sqlite', { env: { ROSTER_PUBLIC_URL: 'https://roster.example.com' } });
    try {
      const response = await postLogin(t.app, t.owner.user.username, t.owner.password, { origin: 'https://roster.example.com' });
      const cookie = response.cookies.find((c) => c.name === '__Host-roster_session');
      expect(cookie).toMatchObject({ secure: true, httpOnly: true, path: '/' });
      expect(response.headers['strict-transport-security']).toContain('max-age=');
    } finally {
      await t.close();
    }
  });
});
