import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { buildApiToken, buildMember } from '../support/factories.js';
import { loginAs, postLogin } from '../support/session.js';
import { createTestApp, useTestApp } from '../support/test-app.js';
import { auditEventsSince, lastAuditSeq, snapshotTables } from './snapshot.js';

// ASVS 5.0 V7 (session management), V3 (web frontend security), V4 (API); NIST SP 800-63B §7.
const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-web-'));
fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Roster</title><div id="root"></div>');

/** Every state-changing route of the API, from the OpenAPI document (so a new route is covered automatically). */
async function writeRoutes(app: Awaited<ReturnType<typeof createTestApp>>['app']) {
  const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(doc.paths).flatMap(([route, methods]) =>
    Object.keys(methods)
      .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => ({
        method: m.toUpperCase() as 'POST' | 'PUT' | 'PATCH' | 'DELETE',
        route,
        url: route.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000'),
      })),
  );
}

/** Writes made before there is a session: the login, its second step and a passkey login (the same-origin check guards them). */
const beforeSession = new Set([
  '/api/v1/auth/login',
  '/api/v1/auth/second-factor',
  '/api/v1/auth/second-factor/options',
  '/api/v1/auth/passkey',
  '/api/v1/auth/passkey/options',
]);
describeEachDatabase('security: sessions and browser protections', (dialect) => {
  const t = useTestApp(dialect, { webRoot });

  it('never adopts a session id chosen by the client (fixation)', async () => {
    const member = await buildMember(t());
    const planted = 'attacker-chosen-session-id-0123456789abcdef';
    const response = await postLogin(t().app, member.user.username, member.password, { cookie: `roster_session=${planted}` });
    const issued = response.cookies.find((c) => c.name === 'roster_session')?.value;
    expect(issued).toBeTruthy();
    expect(issued).not.toBe(planted);
    expect((await t().app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `roster_session=${planted}` } })).statusCode).toBe(
      401,
    );
  });

  it('refuses a logged-out cookie when it is replayed', async () => {
    const member = await buildMember(t());
    const client = await loginAs(t().app, member.user.username, member.password);
    const stolen = client.cookie;
    await client.post('/api/v1/auth/logout');
    const replay = await t().app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: stolen } });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('unauthenticated');
  });

  it('ends every session on password change, on an admin reset and on removal', async () => {
    const owner = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const member = await buildMember(t());
    const first = await loginAs(t().app, member.user.username, member.password);
    const second = await loginAs(t().app, member.user.username, member.password);
    const changed = await first.post('/api/v1/auth/password', {
      currentPassword: member.password,
      newPassword: 'a brand new long password',
    });
    expect(changed.statusCode).toBe(200);
    expect((await second.get('/api/v1/me')).statusCode).toBe(401);
    expect((await first.get('/api/v1/me')).statusCode).toBe(200); // the caller got a fresh session

    const reset = await owner.post(`/api/v1/people/${member.user.id}/password-reset`, {});
    expect(reset.statusCode, reset.body).toBe(200);
    expect((await first.get('/api/v1/me')).statusCode).toBe(401);

    const other = await buildMember(t());
    const otherClient = await loginAs(t().app, other.user.username, other.password);
    const token = await buildApiToken(t(), other.user);
    expect((await owner.delete(`/api/v1/people/${other.user.id}`)).statusCode).toBe(204);
    expect((await otherClient.get('/api/v1/me')).statusCode).toBe(401);
    expect((await t().app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(
      401,
    );
    expect((await postLogin(t().app, other.user.username, other.password)).statusCode).toBe(401);
  });

  it('applies a demotion to the very next request of a live session', async () => {
    const owner = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const member = await buildMember(t());
    await owner.put(`/api/v1/people/${member.user.id}/role`, { role: 'admin' });
    const client = await loginAs(t().app, member.user.username, member.password);
    expect((await client.get('/api/v1/people')).statusCode).toBe(200);
    expect((await owner.put(`/api/v1/people/${member.user.id}/role`, { role: 'member' })).statusCode).toBe(200);
    expect((await client.get('/api/v1/people')).statusCode).toBe(403);
  });

  it('requires the CSRF token on every cookie-authenticated write, changing nothing when it is missing', async () => {
    const client = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const routes = await writeRoutes(t().app);
    expect(routes.length).toBeGreaterThan(15);
    const before = await snapshotTables(t());
    const seq = await lastAuditSeq(t());
    for (const route of routes) {
      // No session yet (a login, or its second step on the pending-login cookie): protected by the same-origin check below.
      if (beforeSession.has(route.route)) continue;
      const answer = await t().app.inject({ method: route.method, url: route.url, headers: { cookie: client.cookie }, payload: {} });
      expect(answer.statusCode, `${route.method} ${route.route}`).toBe(403);
      expect(answer.json().code, `${route.method} ${route.route}`).toBe('csrf_failed');
    }
    expect(await snapshotTables(t())).toEqual(before);
    const rejected = (await auditEventsSince(t(), seq)).filter((e) => e.action === 'auth.csrf_rejected');
    expect(rejected.length).toBe(routes.filter((route) => !beforeSession.has(route.route)).length);
    const crossSiteLogin = await postLogin(t().app, t().owner.user.username, t().owner.password, {
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    });
    expect(crossSiteLogin.statusCode).toBe(403);
  });

  it('refuses a WRONG X-CSRF-Token and a token from another session on every cookie-authenticated write, changing nothing', async () => {
    const client = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const other = await loginAs(t().app, t().owner.user.username, t().owner.password);
    expect(other.csrfToken).not.toBe(client.csrfToken);
    const flipped = `${client.csrfToken.slice(0, -1)}${client.csrfToken.endsWith('A') ? 'B' : 'A'}`;
    const wrongTokens = {
      'another session of the same user': other.csrfToken,
      'one character changed': flipped,
      'random, same length': Buffer.alloc(32, 7).toString('base64url').slice(0, client.csrfToken.length),
      'the session id itself': decodeURIComponent(client.cookie.split('=')[1] ?? ''),
      'longer than the real one': `${client.csrfToken}x`,
    };
    const routes = (await writeRoutes(t().app)).filter((route) => !beforeSession.has(route.route));
    const before = await snapshotTables(t());
    const seq = await lastAuditSeq(t());
    let refusals = 0;
    for (const route of routes) {
      for (const [label, token] of Object.entries(wrongTokens)) {
        const answer = await t().app.inject({
          method: route.method,
          url: route.url,
          headers: { cookie: client.cookie, 'x-csrf-token': token },
          payload: {},
        });
        expect(answer.statusCode, `${route.method} ${route.route} with ${label}`).toBe(403);
        expect(answer.json().code, `${route.method} ${route.route} with ${label}`).toBe('csrf_failed');
        refusals++;
      }
    }
    expect(await snapshotTables(t())).toEqual(before);
    const rejected = (await auditEventsSince(t(), seq)).filter((e) => e.action === 'auth.csrf_rejected');
    expect(rejected.length).toBe(refusals);
    // Both sessions still work with their own tokens, and only with them.
    expect((await client.patch('/api/v1/me', { username: t().owner.user.username })).statusCode).toBe(200);
    expect((await other.patch('/api/v1/me', { username: t().owner.user.username })).statusCode).toBe(200);
  });

  it('ignores credentials in the URL', async () => {
    const member = await buildMember(t());
    const token = await buildApiToken(t(), member.user);
    const client = await loginAs(t().app, member.user.username, member.password);
    const sessionId = client.cookie.split('=')[1];
    for (const query of [
      `token=${token}`,
      `access_token=${token}`,
      `api_token=${token}`,
      `roster_session=${sessionId}`,
      `session=${sessionId}`,
    ]) {
      expect((await t().app.inject({ method: 'GET', url: `/api/v1/me?${query}` })).statusCode, query).toBe(401);
    }
  });

  it('sends security headers on HTML, JSON, 404, 413 and 500 responses', async () => {
    const html = await t().app.inject({ method: 'GET', url: '/people' });
    expect(html.headers['content-type']).toContain('text/html');
    const json = await t().app.inject({ method: 'GET', url: '/healthz' });
    const missing = await t().app.inject({ method: 'GET', url: '/api/v1/missing' });
    const tooLarge = await t().app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ login: 'x', password: 'y'.repeat(70 * 1024) }),
    });
    expect(tooLarge.statusCode).toBe(413);
    const broken = await createTestApp(dialect);
    await broken.services.database.destroy();
    const failing = await postLogin(broken.app, 'someone', 'some long password 1');
    expect([500, 503]).toContain(failing.statusCode);
    expect(failing.body).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
    await broken.close(); // drops its database too (app.close alone left one behind per run)
    for (const response of [html, json, missing, tooLarge, failing]) {
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
    }
    expect(html.headers['content-security-policy']).not.toContain("'unsafe-inline' 'unsafe-eval'");
    expect(html.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
  });
});

describeEachDatabase('security: a short idle timeout (ROSTER_SESSION_IDLE_MINUTES=1)', (dialect) => {
  const t = useTestApp(dialect, { webRoot, env: { ROSTER_SESSION_IDLE_MINUTES: '1' } });

  it('keeps a session that is used every 30 seconds alive for minutes, and ends one left idle past the timeout', async () => {
    const member = await buildMember(t());
    const busy = await loginAs(t().app, member.user.username, member.password);
    const idle = await loginAs(t().app, member.user.username, member.password);
    // Every 30 s for 5 minutes: each request must find the session alive (the idle timeout counts from the last use).
    for (let second = 30; second <= 300; second += 30) {
      t().clock.advance(30_000);
      expect((await busy.get('/api/v1/me')).statusCode, `busy session after ${second} s`).toBe(200);
    }
    // The other session was last used 5 minutes ago.
    expect((await idle.get('/api/v1/me')).statusCode).toBe(401);
    // Left alone for just over the timeout, the busy one ends too.
    t().clock.advance(60_001);
    expect((await busy.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('keeps a session alive whose every use lands just inside the timeout', async () => {
    const member = await buildMember(t());
    const client = await loginAs(t().app, member.user.username, member.password);
    for (let round = 0; round < 6; round++) {
      t().clock.advance(59_000);
      expect((await client.get('/api/v1/me')).statusCode, `round ${round}`).toBe(200);
    }
  });
});

describeEachDatabase('security: the same-origin check trusts ROSTER_PUBLIC_URL, not the Host header', (dialect) => {
  const publicOrigin = 'http://roster.example:8080';
  const t = useTestApp(dialect, { webRoot, env: { ROSTER_PUBLIC_URL: `${publicOrigin}/` } });

  /** A cookie-authenticated write with the right CSRF token and the given browser headers. */
  async function write(headers: Record<string, string>) {
    const member = await buildMember(t());
    const client = await loginAs(t().app, member.user.username, member.password);
    return client.request('PATCH', '/api/v1/me', { username: `${member.user.username}-x` }, headers);
  }
  const login = (headers: Record<string, string>) => postLogin(t().app, t().owner.user.username, t().owner.password, headers);

  it('refuses an Origin that matches a forged Host (DNS rebinding) but not the public URL', async () => {
    const forged = { host: 'rebound.example:8080', origin: 'http://rebound.example:8080', 'sec-fetch-site': 'same-origin' };
    const seq = await lastAuditSeq(t());
    const refusedWrite = await write(forged);
    expect(refusedWrite.statusCode).toBe(403);
    expect(refusedWrite.json().code).toBe('csrf_failed');
    const refusedLogin = await login(forged);
    expect(refusedLogin.statusCode).toBe(403);
    expect(refusedLogin.cookies.find((c) => c.name === 'roster_session')).toBeUndefined();
    const reasons = (await auditEventsSince(t(), seq))
      .filter((e) => e.action === 'auth.csrf_rejected')
      .map((e) => (JSON.parse(e.details) as { reason: string }).reason);
    expect(reasons).toEqual(['foreign Origin', 'foreign Origin']);
  });

  it('refuses a foreign, null or same-site Origin whatever Host is claimed', async () => {
    const refused: Array<Record<string, string>> = [
      { origin: 'http://evil.example' },
      { origin: 'http://roster.example:8081' },
      { origin: 'https://roster.example:8080' },
      { origin: 'null' },
      { origin: publicOrigin, 'sec-fetch-site': 'same-site' },
      { origin: publicOrigin, 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'cross-site' },
      { host: 'evil.example', origin: 'http://evil.example' },
    ];
    for (const headers of refused) {
      expect((await write(headers)).statusCode, JSON.stringify(headers)).toBe(403);
      expect((await login(headers)).statusCode, JSON.stringify(headers)).toBe(403);
    }
  });

  it("accepts the console's own requests: the public origin, behind a proxy that passes another Host", async () => {
    const accepted: Array<Record<string, string>> = [
      { origin: publicOrigin, 'sec-fetch-site': 'same-origin' },
      { origin: publicOrigin, 'sec-fetch-site': 'same-origin', host: '10.0.0.5:3000' },
      { origin: publicOrigin },
      // No Origin and no Sec-Fetch-Site: not a browser (or a very old one); the session's CSRF token still decides.
      {},
      { 'sec-fetch-site': 'same-origin' },
    ];
    for (const headers of accepted) {
      expect((await write(headers)).statusCode, JSON.stringify(headers)).toBe(200);
      expect((await login(headers)).statusCode, JSON.stringify(headers)).toBe(200);
    }
  });
});

describeEachDatabase('security: a loopback public URL also accepts its loopback aliases', (dialect) => {
  const t = useTestApp(dialect, { webRoot, env: { ROSTER_PUBLIC_URL: 'http://127.0.0.1:3999' } });
  const login = (origin: string) => postLogin(t().app, t().owner.user.username, t().owner.password, { origin });

  it('accepts localhost, 127.0.0.1 and [::1] on the same port, and nothing else', async () => {
    for (const origin of ['http://127.0.0.1:3999', 'http://localhost:3999', 'http://[::1]:3999']) {
      expect((await login(origin)).statusCode, origin).toBe(200);
    }
    for (const origin of [
      'http://localhost:4000',
      'https://localhost:3999',
      'http://127.0.0.2:3999',
      'http://localhost.evil.example:3999',
    ]) {
      expect((await login(origin)).statusCode, origin).toBe(403);
    }
  });
});
