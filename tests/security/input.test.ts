import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { buildMember } from '../support/factories.js';
import { loginAs, type SessionClient } from '../support/session.js';
import { useTestApp } from '../support/test-app.js';
import { auditEventsSince, lastAuditSeq, snapshotTables } from './snapshot.js';

// ASVS 5.0 V1 (encoding and sanitization), V2 (validation), V4.x (API input); OWASP API Security Top 10 API3/API6.
const injectionStrings = [
  "'; DROP TABLE users;--",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style payload, meant literally.
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  "Robert'); DELETE FROM audit_events;--",
];

describeEachDatabase('security: input handling', (dialect) => {
  const t = useTestApp(dialect);
  let owner: SessionClient;
  const raw = (method: 'POST' | 'PATCH' | 'PUT', url: string, payload: string, contentType = 'application/json') =>
    t().app.inject({
      method,
      url,
      payload,
      headers: { ...owner.headers, 'content-type': contentType },
    });

  async function expectRefused(run: () => Promise<{ statusCode: number; json(): { code: string } }>, status: number, code: string) {
    const before = await snapshotTables(t());
    const seq = await lastAuditSeq(t());
    const answer = await run();
    expect(answer.statusCode).toBe(status);
    expect(answer.json().code).toBe(code);
    expect(await snapshotTables(t())).toEqual(before);
    expect((await auditEventsSince(t(), seq)).filter((e) => e.outcome === 'success')).toEqual([]);
  }

  beforeAll(async () => {
    owner = await loginAs(t().app, t().owner.user.username, t().owner.password);
  });

  it('refuses confusable, case-folded and reserved usernames, and case-folded duplicate emails', async () => {
    const member = await buildMember(t(), { username: 'alice-original' });
    await expectRefused(
      () => owner.post('/api/v1/people', { accounts: [{ email: 'x@example.com', username: 'аlice' }] }).then(firstRow),
      200,
      'invalid_username',
    );
    await expectRefused(
      () => owner.post('/api/v1/people', { accounts: [{ email: 'y@example.com', username: 'ali\u200dce' }] }).then(firstRow),
      200,
      'invalid_username',
    );
    await expectRefused(
      () => owner.post('/api/v1/people', { accounts: [{ email: 'z@example.com', username: 'ALICE-ORIGINAL' }] }).then(firstRow),
      200,
      'username_taken',
    );
    await expectRefused(
      () => owner.post('/api/v1/people', { accounts: [{ email: 'w@example.com', username: 'settings' }] }).then(firstRow),
      200,
      'invalid_username',
    );
    const exists = await owner.post('/api/v1/people', { accounts: [{ email: member.user.email.toUpperCase() }] });
    expect(exists.json().results[0].status).toBe('exists');
  });

  it('refuses over-long fields with 400, never 500', async () => {
    const long = 'x'.repeat(5000);
    await expectRefused(() => owner.post('/api/v1/projects', { name: long }), 400, 'validation_failed');
    await expectRefused(() => owner.post('/api/v1/groups', { name: long }), 400, 'validation_failed');
    await expectRefused(() => owner.post('/api/v1/people', { accounts: [{ email: `${long}@example.com` }] }), 400, 'validation_failed');
  });

  it('stores injection strings as plain text and returns them unchanged', async () => {
    for (const [i, text] of injectionStrings.entries()) {
      const created = await owner.post('/api/v1/projects', { name: `inj ${i} ${text}`, description: text });
      expect(created.statusCode, created.body).toBe(201);
      const read = await owner.get(`/api/v1/projects/${created.json().id}`);
      expect(read.json()).toMatchObject({ name: `inj ${i} ${text}`, description: text });
      const group = await owner.post('/api/v1/groups', { name: `grp ${i} ${text}`.slice(0, 64), description: text });
      expect(group.statusCode, group.body).toBe(201);
    }
    const users = await t().services.database.db.selectFrom('users').select('id').execute();
    expect(users.length).toBeGreaterThan(0);
  });

  it('refuses malformed JSON, duplicate keys, deep nesting and prototype-poisoning keys', async () => {
    await expectRefused(() => raw('POST', '/api/v1/projects', '{"name": "a",'), 400, 'invalid_json');
    await expectRefused(() => raw('POST', '/api/v1/projects', '{"name": "a", "name": "b"}'), 400, 'invalid_json');
    await expectRefused(() => raw('POST', '/api/v1/projects', '{"name": "a", "n\\u0061me": "b"}'), 400, 'invalid_json');
    await expectRefused(
      () => raw('POST', '/api/v1/projects', `{"name": "deep", "description": ${'['.repeat(100)}${']'.repeat(100)}}`),
      400,
      'invalid_json',
    );
    await expectRefused(() => raw('POST', '/api/v1/projects', '{"name": "p", "__proto__": {"isAdmin": true}}'), 400, 'invalid_json');
    await expectRefused(
      () => raw('POST', '/api/v1/projects', '{"name": "p", "constructor": {"prototype": {"x": 1}}}'),
      400,
      'invalid_json',
    );
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('refuses wrong content types and huge bodies', async () => {
    await expectRefused(
      () => raw('POST', '/api/v1/projects', 'name=x', 'application/x-www-form-urlencoded'),
      415,
      'unsupported_media_type',
    );
    await expectRefused(() => raw('POST', '/api/v1/projects', '<project/>', 'application/xml'), 415, 'unsupported_media_type');
    await expectRefused(
      () => raw('POST', '/api/v1/projects', JSON.stringify({ name: 'big', description: 'd'.repeat(200 * 1024) })),
      413,
      'payload_too_large',
    );
  });

  it('refuses NUL and bidirectional control characters with 400 on both databases', async () => {
    for (const text of ['nul\u0000byte', 'evil\u202Egnp.exe', 'iso\u2066late\u2069']) {
      await expectRefused(() => owner.post('/api/v1/projects', { name: text }), 400, 'invalid_json');
      await expectRefused(() => owner.post('/api/v1/groups', { name: 'ok', description: text }), 400, 'invalid_json');
      await expectRefused(() => owner.post('/api/v1/auth/login', { login: text, password: 'some long password 1' }), 400, 'invalid_json');
    }
  });

  it('ignores mass-assignment attempts by refusing unknown fields', async () => {
    const member = await buildMember(t());
    const client = await loginAs(t().app, member.user.username, member.password);
    await expectRefused(() => client.patch('/api/v1/me', { role: 'owner' }), 400, 'validation_failed');
    await expectRefused(() => client.post('/api/v1/projects', { name: 'mine', ownerId: t().owner.user.id }), 400, 'validation_failed');
    await expectRefused(
      () => owner.post('/api/v1/people', { accounts: [{ email: 'm@example.com', status: 'removed' }] }),
      400,
      'validation_failed',
    );
  });
});

/** POST /people answers 200 with per-row results; refusals of a single row carry the code there. */
async function firstRow(response: { statusCode: number; json(): unknown }) {
  const body = response.json() as { results?: Array<{ status: string; error?: { code: string } }> };
  const row = body.results?.[0];
  return { statusCode: response.statusCode, json: () => ({ code: row?.error?.code ?? row?.status ?? 'none' }) };
}
