import type { InjectOptions } from 'fastify';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildApiToken, buildMember, buildUser } from '../../support/factories.js';
import { loginAs, postLogin } from '../../support/session.js';
import { useTestApp } from '../../support/test-app.js';
import { auditEvents, caller } from './support.js';

describeEachDatabase('email change, password reset, unlock and sessions', (dialect) => {
  const t = useTestApp(dialect);

  it("changes someone else's email, refusing one in use (any case), and audits old and new", async () => {
    const owner = await caller(t());
    const target = await buildMember(t());
    await buildUser(t(), { email: 'in-use@example.com' });
    const taken = await owner.call('PUT', `/api/v1/people/${target.user.id}/email`, { email: 'IN-USE@example.com' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('email_taken');
    expect((await owner.call('PUT', `/api/v1/people/${target.user.id}/email`, { email: 'nonsense' })).json().code).toBe('invalid_email');
    const changed = await owner.call('PUT', `/api/v1/people/${target.user.id}/email`, { email: 'New.Address@Example.com' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().email).toBe('New.Address@Example.com');
    const events = await auditEvents(t(), target.user.id, 'user.email_changed');
    expect(events.map((e) => JSON.parse(e.details))).toEqual([
      expect.objectContaining({ from: target.user.email, to: 'New.Address@Example.com' }),
    ]);
    expect((await postLogin(t().app, 'new.address@example.com', target.password)).statusCode).toBe(200);
  });

  it('resets a password: ends sessions, forces a change at next login, optionally revokes the token', async () => {
    const admin = await caller(t(), 'admin');
    const target = await buildMember(t());
    const session = await loginAs(t().app, target.user.username, target.password);
    const token = await buildApiToken(t(), target.user);

    const reset = await admin.call('POST', `/api/v1/people/${target.user.id}/password-reset`, { resetToken: true });
    expect(reset.statusCode).toBe(200);
    expect(reset.headers['cache-control']).toBe('no-store');
    const { temporaryPassword } = reset.json();
    expect(temporaryPassword).toMatch(/^[0-9A-Z]{20}$/);

    expect((await session.get('/api/v1/me')).statusCode).toBe(401);
    const byToken = await t().app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(byToken.statusCode).toBe(401);
    expect((await postLogin(t().app, target.user.username, target.password)).statusCode).toBe(401);
    const login = await postLogin(t().app, target.user.username, temporaryPassword);
    expect(login.statusCode).toBe(200);
    expect(login.json().mustChangePassword).toBe(true);

    const events = await auditEvents(t(), target.user.id, 'user.password_reset');
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]?.details ?? '{}')).toMatchObject({ sessionsEnded: 1, tokenRevoked: true });
    expect(events[0]?.details).not.toContain(temporaryPassword);
    expect(t().logs.join('')).not.toContain(temporaryPassword);
  });

  it('keeps the API token on a reset without resetToken', async () => {
    const owner = await caller(t());
    const target = await buildMember(t());
    await buildApiToken(t(), target.user);
    expect((await owner.call('POST', `/api/v1/people/${target.user.id}/password-reset`, {})).statusCode).toBe(200);
    const row = await t()
      .services.database.db.selectFrom('api_tokens')
      .select('user_id')
      .where('user_id', '=', target.user.id)
      .executeTakeFirst();
    expect(row).toBeDefined();
  });

  it('unlocks a locked account', async () => {
    const owner = await caller(t());
    const target = await buildMember(t());
    for (let i = 0; i < 6; i++)
      await postLogin(t().app, target.user.username, 'wrong password, really', { 'x-forwarded-for': `10.9.0.${i}` });
    expect((await owner.call('GET', `/api/v1/people/${target.user.id}`)).json().locked).toBe(true);
    const unlocked = await owner.call('POST', `/api/v1/people/${target.user.id}/unlock`);
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.json().locked).toBe(false);
    t().clock.advanceMinutes(2); // a fresh per-IP login window
    expect((await postLogin(t().app, target.user.username, target.password)).statusCode).toBe(200);
    expect((await auditEvents(t(), target.user.id, 'user.unlocked')).map((e) => e.outcome)).toEqual(['success']);
  });

  it("ends someone's sessions", async () => {
    const owner = await caller(t());
    const target = await buildMember(t());
    const one = await loginAs(t().app, target.user.username, target.password);
    const two = await loginAs(t().app, target.user.username, target.password);
    const ended = await owner.call('DELETE', `/api/v1/people/${target.user.id}/sessions`);
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toEqual({ sessionsEnded: 2 });
    expect((await one.get('/api/v1/me')).statusCode).toBe(401);
    expect((await two.get('/api/v1/me')).statusCode).toBe(401);
    expect(await auditEvents(t(), target.user.id, 'session.revoked')).toHaveLength(1);
  });

  it('refuses every people endpoint to a Member', async () => {
    const member = await caller(t(), 'member');
    const other = await buildMember(t());
    const id = other.user.id;
    const calls: Array<[InjectOptions['method'], string, object?]> = [
      ['GET', '/api/v1/people'],
      ['GET', '/api/v1/people/export'],
      ['POST', '/api/v1/people', { accounts: [{ email: 'm@example.com' }] }],
      ['GET', `/api/v1/people/${id}`],
      ['PUT', `/api/v1/people/${id}/role`, { role: 'member' }],
      ['PUT', `/api/v1/people/${id}/email`, { email: 'x@example.com' }],
      ['POST', `/api/v1/people/${id}/password-reset`, {}],
      ['POST', `/api/v1/people/${id}/unlock`],
      ['DELETE', `/api/v1/people/${id}/sessions`],
      ['DELETE', `/api/v1/people/${id}`],
    ];
    for (const [method, url, body] of calls) {
      const response = await member.call(method, url, body);
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().code).toBe('forbidden');
    }
  });
});
