import { randomUUID } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { can } from '../../src/domain/access/authorize.js';
import { loadAccessSubject, loadProjectAccessView } from '../../src/domain/access/load-access-subject.js';
import { describeEachDatabase } from '../support/databases.js';
import { buildAdmin, buildMember, buildUser } from '../support/factories.js';
import { loginAs, postLogin } from '../support/session.js';
import { type TestApp, useTestApp } from '../support/test-app.js';

async function auditEvents(t: TestApp, action: string, targetId: string) {
  const rows = await t.services.database.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'via', 'actor_id', 'details'])
    .where('action', '=', action)
    .where('target_id', '=', targetId)
    .orderBy('seq')
    .execute();
  return rows.map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));
}

async function resetTokenFor(t: TestApp, login: string, password: string): Promise<string> {
  const client = await loginAs(t.app, login, password);
  const response = await client.post('/api/v1/me/token', { currentPassword: password });
  if (response.statusCode !== 200) throw new Error(`token reset failed: ${response.body}`);
  return (response.json() as { token: string }).token;
}

describeEachDatabase('profile: screen name (PATCH /me)', (dialect) => {
  const t = useTestApp(dialect);
  // Logins from one address are throttled after 10 failures a minute; keep cases independent.
  beforeEach(() => t().clock.advanceMinutes(2));

  it('renames the caller, normalises the input and audits the old and new name', async () => {
    const { user, password } = await buildMember(t());
    const client = await loginAs(t().app, user.username, password);
    const response = await client.patch('/api/v1/me', { username: 'Ｒenamed-Member' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ user: { id: user.id, username: 'renamed-member' } });
    expect((await client.get('/api/v1/me')).json().user.username).toBe('renamed-member');
    expect((await postLogin(t().app, 'renamed-member', password)).statusCode).toBe(200);

    const events = await auditEvents(t(), 'user.username_changed', user.id);
    expect(events).toEqual([
      expect.objectContaining({
        outcome: 'success',
        via: 'web',
        actor_id: user.id,
        details: { from: user.username, to: 'renamed-member' },
      }),
    ]);
  });

  it('answers 409 username_taken for a name in use, in any case or width', async () => {
    await buildMember(t(), { username: 'taken-name' });
    const { user, password } = await buildMember(t());
    const client = await loginAs(t().app, user.username, password);
    for (const username of ['taken-name', 'Taken-Name', 'ＴＡＫＥＮ-ＮＡＭＥ']) {
      const response = await client.patch('/api/v1/me', { username });
      expect(response.statusCode, username).toBe(409);
      expect(response.json()).toMatchObject({ code: 'username_taken', errors: [{ field: '/username' }] });
    }
    expect((await client.get('/api/v1/me')).json().user.username).toBe(user.username);
  });

  it('refuses look-alike and invisible characters with 400 invalid_username', async () => {
    const { user, password } = await buildMember(t());
    const client = await loginAs(t().app, user.username, password);
    const confusables = [
      '\u0430lice', // Cyrillic small a
      'ali\u200dce', // zero-width joiner
      'alice\u200b', // zero-width space
      'ali\u00adce', // soft hyphen
      'ǀalice', // Latin letter dental click, looks like l
      'alice\u0301', // combining accent
    ];
    for (const username of confusables) {
      const response = await client.patch('/api/v1/me', { username });
      expect(response.statusCode, JSON.stringify(username)).toBe(400);
      expect(response.json().code).toBe('invalid_username');
    }
    expect(await auditEvents(t(), 'user.username_changed', user.id)).toEqual([]);
  });

  it('refuses reserved and malformed names with 400 invalid_username', async () => {
    const { user, password } = await buildMember(t());
    const client = await loginAs(t().app, user.username, password);
    for (const username of ['root', 'Settings', 'me', 'api', 'roster', 'a', 'x'.repeat(40), '-dash', 'two..dots', 'sp ace', '']) {
      const response = await client.patch('/api/v1/me', { username });
      expect(response.statusCode, username).toBe(400);
      expect(response.json().code).toBe('invalid_username');
    }
  });

  it('refuses fields other than username (mass assignment) with 400 validation_failed', async () => {
    const { user, password } = await buildMember(t());
    const client = await loginAs(t().app, user.username, password);
    for (const body of [{ role: 'owner' }, { username: 'sneaky-owner', role: 'owner' }, { status: 'active' }, { email: 'x@example.com' }]) {
      const response = await client.patch('/api/v1/me', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().code).toBe('validation_failed');
    }
    const me = (await client.get('/api/v1/me')).json();
    expect(me).toMatchObject({ effectiveRole: 'member', user: { role: 'member', username: user.username } });
  });

  it('frees the old name at once, and whoever takes it inherits nothing', async () => {
    const admin = await buildAdmin(t(), { username: 'alice-old' });
    const adminClient = await loginAs(t().app, 'alice-old', admin.password);
    // A project owned by the admin under the old name: grants are keyed by id, not by name.
    const projectId = randomUUID();
    await t()
      .services.database.db.insertInto('projects')
      .values({
        id: projectId,
        name: 'Alice project',
        name_canonical: 'alice project',
        description: '',
        owner_id: admin.user.id,
        created_at: new Date().toISOString(),
      })
      .execute();
    expect((await adminClient.patch('/api/v1/me', { username: 'alice-new' })).statusCode).toBe(200);

    const member = await buildMember(t());
    const memberClient = await loginAs(t().app, member.user.username, member.password);
    const taken = await memberClient.patch('/api/v1/me', { username: 'alice-old' });
    expect(taken.statusCode, taken.body).toBe(200);

    const login = await postLogin(t().app, 'alice-old', member.password);
    expect(login.json()).toMatchObject({ user: { id: member.user.id, role: 'member' } });
    const me = (await memberClient.get('/api/v1/me')).json();
    expect(me).toMatchObject({ effectiveRole: 'member', abilities: { viewPeople: false, managePeople: false } });
    const subject = await loadAccessSubject(t().services.database.db, member.user.id);
    const project = await loadProjectAccessView(t().services.database.db, projectId, [member.user.id]);
    if (!subject || !project) throw new Error('missing fixtures');
    expect(can(subject, 'project.view', project)).toBe(false);
    // The renamed admin keeps everything.
    expect((await adminClient.get('/api/v1/me')).json()).toMatchObject({ effectiveRole: 'admin', user: { username: 'alice-new' } });
  });

  it('accepts a rename with an API token, audited as api, or as cli from the roster CLI', async () => {
    const { user, password } = await buildMember(t());
    const token = await resetTokenFor(t(), user.username, password);
    const viaApi = await t().app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
      payload: { username: `${user.username}-api` },
    });
    expect(viaApi.statusCode, viaApi.body).toBe(200);
    expect(viaApi.json().csrfToken).toBeNull();
    const viaCli = await t().app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}`, 'user-agent': 'roster-cli/0.1.0' },
      payload: { username: `${user.username}-cli` },
    });
    expect(viaCli.statusCode).toBe(200);
    const events = await auditEvents(t(), 'user.username_changed', user.id);
    expect(events.map((e) => e.via)).toEqual(['api', 'cli']);
  });
});

describeEachDatabase('profile: email (POST /me/email)', (dialect) => {
  const t = useTestApp(dialect);
  beforeEach(() => t().clock.advanceMinutes(2));

  it('refuses without or with a wrong current password (403) and audits the attempt', async () => {
    const { user, password } = await buildMember(t());
    const client = await loginAs(t().app, user.username, password);
    for (const body of [
      { email: 'new-address@example.com' },
      { email: 'new-address@example.com', currentPassword: 'not my password at all' },
    ]) {
      const response = await client.post('/api/v1/me/email', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(403);
      expect(response.json().code).toBe('invalid_current_password');
      expect(response.body).not.toContain('not my password at all');
    }
    expect((await client.get('/api/v1/me')).json().user.email).toBe(user.email);
    const failures = await auditEvents(t(), 'user.email_change_failed', user.id);
    expect(failures.map((e) => [e.outcome, e.details.reason])).toEqual([
      ['failure', 'missing_current_password'],
      ['failure', 'invalid_current_password'],
    ]);
  });

  it('answers 409 email_taken for an address in use, in any case', async () => {
    await buildUser(t(), { email: 'Taken.Address@Example.com' });
    const { user, password } = await buildMember(t());
    const client = await loginAs(t().app, user.username, password);
    for (const email of ['taken.address@example.com', 'TAKEN.ADDRESS@EXAMPLE.COM', '  Taken.Address@example.com ']) {
      const response = await client.post('/api/v1/me/email', { email, currentPassword: password });
      expect(response.statusCode, email).toBe(409);
      expect(response.json().code).toBe('email_taken');
    }
  });

  it('answers 400 invalid_email for malformed addresses', async () => {
    const { user, password } = await buildMember(t());
    const client = await loginAs(t().app, user.username, password);
    for (const email of [
      'not-an-email',
      'a@b@c',
      '@example.com',
      'user@',
      '\u0430lice@example.com',
      `${'x'.repeat(250)}@example.com`,
      '',
    ]) {
      const response = await client.post('/api/v1/me/email', { email, currentPassword: password });
      expect(response.statusCode, email).toBe(400);
      expect(response.json().code).toBe('invalid_email');
    }
  });

  it('changes the address, keeps the current session, ends the others and audits old and new address', async () => {
    const { user, password } = await buildMember(t());
    const current = await loginAs(t().app, user.username, password);
    const other = await loginAs(t().app, user.username, password);
    const response = await current.post('/api/v1/me/email', { email: 'Moved.Here@Example.org', currentPassword: password });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().user.email).toBe('Moved.Here@Example.org');

    expect((await current.get('/api/v1/me')).statusCode).toBe(200);
    expect((await other.get('/api/v1/me')).statusCode).toBe(401);
    expect((await postLogin(t().app, 'moved.here@example.org', password)).statusCode).toBe(200);
    expect((await postLogin(t().app, user.email, password)).statusCode).toBe(401);

    const events = await auditEvents(t(), 'user.email_changed', user.id);
    expect(events).toEqual([
      expect.objectContaining({
        details: { from: user.email, to: 'Moved.Here@Example.org', sessionsEnded: 1, oidcRevoked: 0 },
        via: 'web',
      }),
    ]);
  });

  it('ends every session when the change comes with an API token', async () => {
    const { user, password } = await buildMember(t());
    const token = await resetTokenFor(t(), user.username, password);
    const browser = await loginAs(t().app, user.username, password);
    const response = await t().app.inject({
      method: 'POST',
      url: '/api/v1/me/email',
      headers: { authorization: `Bearer ${token}` },
      payload: { email: `${user.username}@moved.example`, currentPassword: password },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect((await browser.get('/api/v1/me')).statusCode).toBe(401);
  });
});

describeEachDatabase('profile: sessions (/me/sessions)', (dialect) => {
  const t = useTestApp(dialect);
  beforeEach(() => t().clock.advanceMinutes(2));

  it('lists own live sessions with a public id, marking the current one, and never exposes the secret', async () => {
    const { user, password } = await buildMember(t());
    const first = await loginAs(t().app, user.username, password);
    const second = await t().app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: user.username, password },
      headers: { 'user-agent': 'Firefox/999', 'x-forwarded-for': '203.0.113.9' },
    });
    expect(second.statusCode).toBe(200);
    const response = await first.get('/api/v1/me/sessions');
    expect(response.statusCode).toBe(200);
    const { items } = response.json() as { items: Array<{ id: string; current: boolean; userAgent: string | null; ip: string | null }> };
    expect(items).toHaveLength(2);
    expect(items.filter((s) => s.current)).toHaveLength(1);
    for (const session of items) expect(session.id).toMatch(/^[0-9a-f]{16}$/);
    expect(items.map((s) => s.userAgent)).toContain('Firefox/999');
    const secret = second.cookies.find((c) => c.name === 'roster_session')?.value ?? 'missing';
    const digests = await t().services.database.db.selectFrom('sessions').select('id_digest').where('user_id', '=', user.id).execute();
    expect(response.body).not.toContain(secret);
    expect(response.body).not.toContain(first.cookie.split('=')[1]);
    for (const { id_digest } of digests) expect(response.body).not.toContain(id_digest);
  });

  it('signs out one other session by id, and answers 404 for ids of other users', async () => {
    const { user, password } = await buildMember(t());
    const mine = await loginAs(t().app, user.username, password);
    const other = await loginAs(t().app, user.username, password);
    const stranger = await buildMember(t());
    const strangerClient = await loginAs(t().app, stranger.user.username, stranger.password);
    const strangerSession = (await strangerClient.get('/api/v1/me/sessions')).json().items[0].id as string;

    const items = (await mine.get('/api/v1/me/sessions')).json().items as Array<{ id: string; current: boolean }>;
    const target = items.find((s) => !s.current);
    if (!target) throw new Error('no other session');
    expect((await mine.delete(`/api/v1/me/sessions/${target.id}`)).statusCode).toBe(204);
    expect((await other.get('/api/v1/me')).statusCode).toBe(401);
    expect((await mine.get('/api/v1/me')).statusCode).toBe(200);

    const foreign = await mine.delete(`/api/v1/me/sessions/${strangerSession}`);
    expect(foreign.statusCode).toBe(404);
    expect((await strangerClient.get('/api/v1/me')).statusCode).toBe(200);
    expect((await mine.delete('/api/v1/me/sessions/not-an-id')).statusCode).toBe(400);
    const events = await t()
      .services.database.db.selectFrom('audit_events')
      .select(['target_id', 'actor_id'])
      .where('action', '=', 'session.revoked')
      .where('target_id', '=', target.id)
      .execute();
    expect(events).toEqual([{ target_id: target.id, actor_id: user.id }]);
  });

  it('signs out everywhere else but keeps the current session', async () => {
    const { user, password } = await buildMember(t());
    const mine = await loginAs(t().app, user.username, password);
    const others = [await loginAs(t().app, user.username, password), await loginAs(t().app, user.username, password)];
    const response = await mine.delete('/api/v1/me/sessions');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ sessionsEnded: 2 });
    for (const other of others) expect((await other.get('/api/v1/me')).statusCode).toBe(401);
    expect((await mine.get('/api/v1/me/sessions')).json().items).toEqual([expect.objectContaining({ current: true })]);
    expect(await auditEvents(t(), 'session.revoked', user.id)).toEqual([
      expect.objectContaining({ details: { userId: user.id, sessionsEnded: 2, oidcRevoked: 0, keptCurrent: true } }),
    ]);
  });

  it('needs the CSRF token for cookie-authenticated profile writes', async () => {
    const { user, password } = await buildMember(t());
    const client = await loginAs(t().app, user.username, password);
    const noCsrf = await t().app.inject({ method: 'DELETE', url: '/api/v1/me/sessions', headers: { cookie: client.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('csrf_failed');
    const rename = await t().app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { cookie: client.cookie },
      payload: { username: 'csrf-victim' },
    });
    expect(rename.statusCode).toBe(403);
  });
});
