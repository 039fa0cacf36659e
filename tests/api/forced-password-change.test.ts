import { expect, it } from 'vitest';
import { createOwner } from '../../src/domain/bootstrap/create-owner.js';
import { describeEachDatabase } from '../support/databases.js';
import { postLogin } from '../support/session.js';
import { useTestApp } from '../support/test-app.js';

const goodPassword = 'correct horse battery staple 42';

// Issue 17 item 3 (docs/product/console.md#first-login-and-forced-password-change): the restricted session opened with
// a temporary password proved it at login, so it may set the new password without sending it again; nobody else may.
describeEachDatabase('forced password change without the temporary password', (dialect) => {
  const t = useTestApp(dialect);

  async function restrictedSession(username: string) {
    const created = await createOwner(t().cliContext(), { username, email: `${username}@example.com` });
    if (!created) throw new Error('not created');
    const login = await postLogin(t().app, username, created.temporaryPassword);
    const cookie = `roster_session=${login.cookies.find((c) => c.name === 'roster_session')?.value}`;
    return { headers: { cookie, 'x-csrf-token': login.json().csrfToken as string }, temporaryPassword: created.temporaryPassword };
  }

  it('lets the restricted session omit currentPassword, and /me states the minimum length', async () => {
    const { headers } = await restrictedSession('forced-a');
    const me = await t().app.inject({ method: 'GET', url: '/api/v1/me', headers });
    expect(me.json().passwordMinLength).toBe(15);
    const changed = await t().app.inject({ method: 'POST', url: '/api/v1/auth/password', headers, payload: { newPassword: goodPassword } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().mustChangePassword).toBe(false);
    expect((await postLogin(t().app, 'forced-a', goodPassword)).statusCode).toBe(200);
  });

  it('lets only one of several simultaneous changes from the restricted session through', async () => {
    // The restricted session's proof is "must change the password": spent by the first change, like the temporary
    // password itself, so requests that arrive at the same moment cannot each set a password.
    const { headers } = await restrictedSession('forced-race');
    const attempts = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        t().app.inject({ method: 'POST', url: '/api/v1/auth/password', headers, payload: { newPassword: `${goodPassword} ${i}` } }),
      ),
    );
    const statuses = attempts.map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    for (const refused of attempts.filter((answer) => answer.statusCode !== 200)) {
      expect([401, 403]).toContain(refused.statusCode);
    }
    const winner = attempts.findIndex((answer) => answer.statusCode === 200);
    expect((await postLogin(t().app, 'forced-race', `${goodPassword} ${winner}`)).statusCode).toBe(200);
  });

  it('still refuses the temporary password itself as the new one', async () => {
    const { headers, temporaryPassword } = await restrictedSession('forced-b');
    const same = await t().app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers,
      payload: { newPassword: temporaryPassword },
    });
    expect(same.statusCode).toBe(400);
    expect(same.json()).toMatchObject({ code: 'password_policy', errors: [{ field: '/newPassword' }] });
    const short = await t().app.inject({ method: 'POST', url: '/api/v1/auth/password', headers, payload: { newPassword: 'too short' } });
    expect(short.json().detail).toBe('Use at least 15 characters.');
  });

  it('requires currentPassword from a normal session', async () => {
    const { headers } = await restrictedSession('forced-c');
    const changed = await t().app.inject({ method: 'POST', url: '/api/v1/auth/password', headers, payload: { newPassword: goodPassword } });
    const cookie = `roster_session=${changed.cookies.find((c) => c.name === 'roster_session')?.value}`;
    const full = { cookie, 'x-csrf-token': changed.json().csrfToken as string };
    const again = await t().app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: full,
      payload: { newPassword: `${goodPassword} again` },
    });
    expect(again.statusCode).toBe(403);
    expect(again.json().code).toBe('invalid_current_password');
    const withIt = await t().app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: full,
      payload: { currentPassword: goodPassword, newPassword: `${goodPassword} again` },
    });
    expect(withIt.statusCode).toBe(200);
  });
});
