import { expect, it } from 'vitest';
import { createOwner } from '../../src/domain/bootstrap/create-owner.js';
import { describeEachDatabase } from '../support/databases.js';
import { buildApiToken, buildMember } from '../support/factories.js';
import { loginAs, postLogin } from '../support/session.js';
import { useTestApp } from '../support/test-app.js';
import { auditEventsSince, lastAuditSeq, snapshotTables } from './snapshot.js';

// ASVS 5.0 V6 (authentication) and NIST SP 800-63B §5.1.1, §5.2.2; see docs/security.md for the mapping.
describeEachDatabase('security: authentication', (dialect) => {
  // Requests from 127.0.0.1 may name the client in X-Forwarded-For, so each case can use its own client IP.
  const t = useTestApp(dialect, { env: { ROSTER_TRUSTED_PROXIES: '127.0.0.1' } });
  let ipCounter = 0;
  const freshIp = () => `198.51.100.${++ipCounter}`;
  const login = (name: string, password: string, ip = freshIp()) => postLogin(t().app, name, password, { 'x-forwarded-for': ip });

  it('gives byte-identical 401s for unknown user, wrong password, locked, removed and over-long input, changing nothing', async () => {
    const victim = await buildMember(t());
    const removed = await buildMember(t());
    await t().services.database.db.updateTable('users').set({ status: 'removed' }).where('id', '=', removed.user.id).execute();
    const before = await snapshotTables(t());
    const unknown = await login('no-such-person', 'some long password 1');
    const removedAnswer = await login(removed.user.username, removed.password);
    const longAnswer = await login('no-such-person', 'x'.repeat(300));
    expect(await snapshotTables(t())).toEqual(before);
    const wrong = await login(victim.user.username, 'some long password 1');
    for (let i = 0; i < 6; i++) await login(victim.user.username, 'some long password 1');
    const locked = await login(victim.user.username, victim.password);
    for (const answer of [unknown, removedAnswer, longAnswer, wrong, locked]) {
      expect(answer.statusCode).toBe(401);
      expect(answer.body).toBe(unknown.body);
    }
    expect(unknown.json().code).toBe('invalid_credentials');
  });

  it('checks at most 5 of 50 parallel wrong passwords, locks the account and audits all 50', async () => {
    const victim = await buildMember(t());
    const seq = await lastAuditSeq(t());
    const hasher = t().services.hasher;
    const verify = hasher.verify;
    let checks = 0;
    hasher.verify = (phc, password) => {
      if (phc !== null) checks++;
      return verify(phc, password);
    };
    const answers = await Promise.all(Array.from({ length: 50 }, () => login(victim.user.username, 'wrong but long enough 1'))).finally(
      () => {
        hasher.verify = verify;
      },
    );
    expect(answers.every((a) => a.statusCode === 401)).toBe(true);
    expect(checks).toBeLessThanOrEqual(5);
    const row = await t()
      .services.database.db.selectFrom('users')
      .select(['failed_login_count', 'locked_until'])
      .where('id', '=', victim.user.id)
      .executeTakeFirstOrThrow();
    // Attempts refused while locked are audited but do not add failures: the lock reflects the guesses checked.
    expect(Number(row.failed_login_count)).toBe(5);
    expect(row.locked_until).not.toBeNull();
    const events = await auditEventsSince(t(), seq);
    expect(events.filter((e) => e.action === 'auth.login_failed' && e.target_id === victim.user.id)).toHaveLength(50);
  }, 60_000);

  it('limits failed logins per client IP with 429 and Retry-After, and a spoofed header from an untrusted peer changes nothing', async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) await login(`ghost-${i}`, 'whatever password 123', ip);
    const limited = await login('ghost', 'whatever password 123', ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    // Without trusted proxies, X-Forwarded-For is ignored: rotating it does not escape the limit.
    const { createTestApp } = await import('../support/test-app.js');
    const untrusted = await createTestApp(dialect);
    try {
      for (let i = 0; i < 10; i++)
        await postLogin(untrusted.app, `ghost-${i}`, 'whatever password 123', { 'x-forwarded-for': `203.0.113.${i}` });
      const spoofed = await postLogin(untrusted.app, 'ghost', 'whatever password 123', { 'x-forwarded-for': '203.0.113.99' });
      expect(spoofed.statusCode).toBe(429);
    } finally {
      await untrusted.close();
    }
  });

  it('keeps a temporary-password session restricted on every other endpoint, and refuses that user’s token', async () => {
    const created = await createOwner(t().cliContext(), { username: 'forced', email: 'forced@example.com' });
    if (!created) throw new Error('not created');
    const response = await login('forced', created.temporaryPassword);
    const cookie = `roster_session=${response.cookies.find((c) => c.name === 'roster_session')?.value}`;
    const headers = { cookie, 'x-csrf-token': response.json().csrfToken as string };
    for (const [method, url] of [
      ['GET', '/api/v1/people'],
      ['GET', '/api/v1/projects'],
      ['POST', '/api/v1/projects'],
      ['GET', '/api/v1/groups'],
      ['GET', '/api/v1/roles'],
      ['GET', '/api/v1/audit'],
      ['POST', '/api/v1/authorize'],
    ] as const) {
      const answer = await t().app.inject({
        method,
        url,
        headers,
        ...(method === 'POST' ? { payload: { name: 'x', permission: 'organization.view' } } : {}),
      });
      expect(answer.statusCode, `${method} ${url}`).toBe(403);
      expect(answer.json().code).toBe('password_change_required');
    }
    const token = await buildApiToken(t(), created.user);
    const withToken = await t().app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(withToken.statusCode).toBe(403);
    expect(withToken.json().code).toBe('password_change_required');
  });

  it('enforces the password length bounds: 14 no, 15 yes, 256 yes, 257 no, 1 MB refused before parsing', async () => {
    const member = await buildMember(t());
    const client = await loginAs(t().app, member.user.username, member.password);
    let current = member.password;
    const change = (newPassword: string) => client.post('/api/v1/auth/password', { currentPassword: current, newPassword });
    const word = (n: number) => Array.from({ length: n }, (_, i) => 'abcdefghijkmnpqrstuvwxyz'.charAt((i * 7) % 24)).join('');
    const fourteen = await change(word(14));
    expect(fourteen.json()).toMatchObject({ status: 400, code: 'password_policy' });
    const tooLong = await change(word(257));
    expect(tooLong.json()).toMatchObject({ status: 400, code: 'password_policy' });
    const fifteen = await change(word(15));
    expect(fifteen.statusCode, fifteen.body).toBe(200);
    current = word(15);
    const max = await change(word(256));
    expect(max.statusCode, max.body).toBe(200);
    const huge = await t().app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ login: member.user.username, password: 'x'.repeat(1024 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('payload_too_large');
  });

  it('treats NFKC-equivalent passwords as the same password', async () => {
    const member = await buildMember(t());
    const client = await loginAs(t().app, member.user.username, member.password);
    const fullWidth = 'ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ ９';
    expect((await client.post('/api/v1/auth/password', { currentPassword: member.password, newPassword: fullWidth })).statusCode).toBe(200);
    expect((await login(member.user.username, 'correct horse battery 9')).statusCode).toBe(200);
  });

  it('has no default credentials on a fresh install', async () => {
    const defaults: Array<[string, string]> = [
      ['admin', 'admin'],
      ['admin', 'password'],
      ['admin', 'roster'],
      ['admin@localhost', 'changeme'],
      ['root', 'root'],
    ];
    for (const [name, password] of defaults) {
      expect((await login(name, password)).statusCode).toBe(401);
    }
  });
});
