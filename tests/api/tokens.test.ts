import fs from 'node:fs';
import { sql } from 'kysely';
import { beforeEach, expect, it, vi } from 'vitest';
import { sha256Hex } from '../../src/domain/auth/secrets.js';
import { apiTokenPrefix, generateApiToken } from '../../src/domain/tokens/api-token-format.js';
import { describeEachDatabase } from '../support/databases.js';
import { buildAdmin, buildMember, buildUser } from '../support/factories.js';
import { loginAs } from '../support/session.js';
import { allLogs, type TestApp, useTestApp } from '../support/test-app.js';

const tokenPattern = /rst_[0-9A-Za-z]{38}/;

function withToken(
  t: TestApp,
  token: string,
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH',
  url: string,
  payload?: object,
  scheme = 'Bearer',
) {
  return t.app.inject({
    method,
    url,
    headers: { authorization: `${scheme} ${token}` },
    ...(payload === undefined ? {} : { payload }),
  });
}

async function resetTokenFor(t: TestApp, login: string, password: string): Promise<string> {
  const client = await loginAs(t.app, login, password);
  const response = await client.post('/api/v1/me/token', { currentPassword: password });
  if (response.statusCode !== 200) throw new Error(`token reset failed: ${response.body}`);
  return (response.json() as { token: string }).token;
}

/** Stores a token for a user directly (for users who cannot reach the endpoint, e.g. with a pending password change). */
async function insertToken(t: TestApp, userId: string): Promise<string> {
  const token = generateApiToken();
  await t.services.database.db
    .insertInto('api_tokens')
    .values({
      user_id: userId,
      digest: sha256Hex(token),
      prefix: apiTokenPrefix(token),
      created_at: new Date().toISOString(),
      last_used_at: null,
    })
    .execute();
  return token;
}

/** Every row of every table as text: where a leaked plaintext would show up through SQL. */
async function everyRowAsText(t: TestApp): Promise<string> {
  const db = t.services.database.db;
  const tables = [
    'users',
    'credentials',
    'sessions',
    'api_tokens',
    'projects',
    'project_access',
    'groups',
    'group_members',
    'audit_events',
  ] as const;
  const dumps = await Promise.all(tables.map((table) => db.selectFrom(table).selectAll().execute()));
  return JSON.stringify(dumps);
}

/**
 * Counts round trips to the database driver, the lowest level every query passes: better-sqlite3 prepares a statement
 * for each query Kysely runs, and Kysely's PostgreSQL driver checks a client out of the pool for each one. Spying
 * on these (rather than on Kysely's builder) also catches raw `sql` queries.
 */
function countDriverCalls(t: TestApp): { calls(): number; restore(): void } {
  // Every query passes the executor or, on the per-request path, the driver's prepared reads.
  const spy = vi.spyOn(t.services.database.db.getExecutor(), 'executeQuery');
  const prepared = vi.spyOn(t.services.database, 'readPrepared');
  return {
    calls: () => spy.mock.calls.length + prepared.mock.calls.length,
    restore: () => {
      spy.mockRestore();
      prepared.mockRestore();
    },
  };
}

describeEachDatabase('personal API token: reset and revoke (/me/token)', (dialect) => {
  const t = useTestApp(dialect);
  beforeEach(() => t().clock.advanceMinutes(2));

  it('shows the new token once, with no-store, and keeps only metadata afterwards', async () => {
    const { user, password } = await buildMember(t());
    const client = await loginAs(t().app, user.username, password);
    const response = await client.post('/api/v1/me/token', { currentPassword: password });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const { token, prefix } = response.json() as { token: string; prefix: string };
    expect(token).toMatch(new RegExp(`^${tokenPattern.source}$`));
    expect(token.startsWith(prefix)).toBe(true);

    const me = await client.get('/api/v1/me');
    expect(me.json().token).toEqual({ prefix, createdAt: expect.any(String), lastUsedAt: null });
    expect(me.body).not.toContain(token);
    const byToken = await withToken(t(), token, 'GET', '/api/v1/me');
    expect(byToken.statusCode).toBe(200);
    expect(byToken.body).not.toContain(token);

    // Not in logs, not in the audit log, not anywhere in the database as text.
    expect(allLogs(t())).not.toContain(token);
    expect(allLogs(t())).not.toContain(token.slice(4));
    const audit = await t().services.database.db.selectFrom('audit_events').selectAll().where('action', 'like', 'token.%').execute();
    expect(audit.map((e) => e.action)).toContain('token.reset');
    expect(JSON.stringify(audit)).not.toContain(token);
    const everything = await everyRowAsText(t());
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(token.slice(8));
    expect(everything).toContain(sha256Hex(token));
  });

  // PostgreSQL keeps its files out of reach of the tests; the SQL-level search above covers it.
  it.skipIf(dialect !== 'sqlite')('keeps no plaintext in the database files (SQLite: main file, -wal and -shm bytes)', async () => {
    const { user, password } = await buildMember(t());
    const token = await resetTokenFor(t(), user.username, password);
    expect((await withToken(t(), token, 'GET', '/api/v1/me')).statusCode).toBe(200);
    const config = t().services.config.database;
    if (config.kind !== 'sqlite') throw new Error('sqlite expected');
    const files = [config.file, `${config.file}-wal`, `${config.file}-shm`].filter((file) => fs.existsSync(file));
    expect(files.length).toBeGreaterThanOrEqual(2);
    const secretPart = Buffer.from(token.slice(4));
    for (const file of files) expect(fs.readFileSync(file).includes(secretPart), file).toBe(false);
    // The digest is there, so the search itself works.
    expect(files.some((file) => fs.readFileSync(file).includes(Buffer.from(sha256Hex(token))))).toBe(true);
  });

  it('replaces the old token at once: the old one is refused on the very next request', async () => {
    const { user, password } = await buildMember(t());
    const first = await resetTokenFor(t(), user.username, password);
    expect((await withToken(t(), first, 'GET', '/api/v1/me')).statusCode).toBe(200);
    const second = await withToken(t(), first, 'POST', '/api/v1/me/token', { currentPassword: password });
    expect(second.statusCode).toBe(200);
    const replacement = second.json().token as string;
    expect(replacement).not.toBe(first);
    const old = await withToken(t(), first, 'GET', '/api/v1/me');
    expect(old.statusCode).toBe(401);
    expect(old.json().code).toBe('invalid_token');
    expect((await withToken(t(), replacement, 'GET', '/api/v1/me')).statusCode).toBe(200);
    const rows = await t().services.database.db.selectFrom('api_tokens').select('digest').where('user_id', '=', user.id).execute();
    expect(rows).toEqual([{ digest: sha256Hex(replacement) }]);
  });

  it('leaves exactly one valid token after parallel resets', async () => {
    const { user, password } = await buildMember(t());
    const token = await resetTokenFor(t(), user.username, password);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => withToken(t(), token, 'POST', '/api/v1/me/token', { currentPassword: password })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(200));
    const issued = answers.map((a) => a.json().token as string);
    const valid: string[] = [];
    for (const candidate of [token, ...issued])
      if ((await withToken(t(), candidate, 'GET', '/api/v1/me')).statusCode === 200) valid.push(candidate);
    expect(valid).toHaveLength(1);
    const rows = await t().services.database.db.selectFrom('api_tokens').select('digest').where('user_id', '=', user.id).execute();
    expect(rows).toEqual([{ digest: sha256Hex(valid[0] ?? '') }]);
  });

  it('requires the current password to reset or revoke, with a session or a token', async () => {
    const { user, password } = await buildMember(t());
    const token = await resetTokenFor(t(), user.username, password);
    const client = await loginAs(t().app, user.username, password);
    const attempts = [
      () => client.post('/api/v1/me/token', {}),
      () => client.post('/api/v1/me/token', { currentPassword: 'wrong password, sorry' }),
      () => client.request('DELETE', '/api/v1/me/token', { currentPassword: 'wrong password, sorry' }),
      () => client.request('DELETE', '/api/v1/me/token'),
      () => withToken(t(), token, 'POST', '/api/v1/me/token', {}),
      () => withToken(t(), token, 'POST', '/api/v1/me/token'),
      () => withToken(t(), token, 'POST', '/api/v1/me/token', { currentPassword: 'wrong password, sorry' }),
      () => withToken(t(), token, 'DELETE', '/api/v1/me/token'),
    ];
    for (const [index, attempt] of attempts.entries()) {
      const response = await attempt();
      expect(response.statusCode, `attempt ${index}: ${response.body}`).toBe(403);
      expect(response.json().code).toBe('invalid_current_password');
    }
    // The token survived every refused attempt.
    expect((await withToken(t(), token, 'GET', '/api/v1/me')).statusCode).toBe(200);
    const extra = await client.post('/api/v1/me/token', { currentPassword: password, token: 'rst_mine' });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().code).toBe('validation_failed');
  });

  it('revokes the token with DELETE /me/token, audited without the token', async () => {
    const { user, password } = await buildMember(t());
    const token = await resetTokenFor(t(), user.username, password);
    const revoked = await withToken(t(), token, 'DELETE', '/api/v1/me/token', { currentPassword: password });
    expect(revoked.statusCode).toBe(204);
    expect((await withToken(t(), token, 'GET', '/api/v1/me')).statusCode).toBe(401);
    const client = await loginAs(t().app, user.username, password);
    expect((await client.get('/api/v1/me')).json().token).toBeNull();
    // Revoking again is a no-op.
    expect((await client.request('DELETE', '/api/v1/me/token', { currentPassword: password })).statusCode).toBe(204);
    const events = await t()
      .services.database.db.selectFrom('audit_events')
      .select(['action', 'via', 'details'])
      .where('target_id', '=', user.id)
      .where('action', 'in', ['token.reset', 'token.revoked'])
      .orderBy('seq')
      .execute();
    expect(events.map((e) => [e.action, e.via])).toEqual([
      ['token.reset', 'web'],
      ['token.revoked', 'api'],
    ]);
    expect(JSON.stringify(events)).not.toContain(token);
  });
});

describeEachDatabase('personal API token: authentication', (dialect) => {
  const t = useTestApp(dialect);
  beforeEach(() => t().clock.advanceMinutes(2));

  it('accepts "Authorization: Token …" and any case of the scheme', async () => {
    const { user, password } = await buildMember(t());
    const token = await resetTokenFor(t(), user.username, password);
    for (const scheme of ['Bearer', 'Token', 'bearer', 'token']) {
      const response = await withToken(t(), token, 'GET', '/api/v1/me', undefined, scheme);
      expect(response.statusCode, scheme).toBe(200);
      expect(response.json().user.id).toBe(user.id);
    }
  });

  it('refuses a token with a wrong checksum before any database query', async () => {
    const { user, password } = await buildMember(t());
    const token = await resetTokenFor(t(), user.username, password);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    const mistyped = [
      `${token.slice(0, -1)}${last}`, // checksum digit changed
      `${token.slice(0, 10)}${token[10] === 'x' ? 'y' : 'x'}${token.slice(11)}`, // random part changed
      token.slice(0, -1), // too short
      `${token}0`, // too long
      `rsx_${token.slice(4)}`, // wrong prefix
      'rst_!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!', // wrong alphabet
    ];
    const counter = countDriverCalls(t());
    try {
      for (const candidate of mistyped) {
        const response = await withToken(t(), candidate, 'GET', '/api/v1/me');
        expect(response.statusCode, candidate).toBe(401);
        expect(response.json().code).toBe('invalid_token');
      }
      expect(counter.calls()).toBe(0);
      // The counter does see queries: a well-formed but unknown token needs a lookup.
      expect((await withToken(t(), generateApiToken(), 'GET', '/api/v1/me')).statusCode).toBe(401);
      expect(counter.calls()).toBeGreaterThan(0);
    } finally {
      counter.restore();
    }
  });

  it('refuses the token of a removed user', async () => {
    const { user, password } = await buildMember(t());
    const token = await resetTokenFor(t(), user.username, password);
    await t()
      .services.database.db.updateTable('users')
      .set({ status: 'removed', removed_at: new Date().toISOString() })
      .where('id', '=', user.id)
      .execute();
    const response = await withToken(t(), token, 'GET', '/api/v1/me');
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('invalid_token');
  });

  it("acts with the user's current role: a demotion applies to the next request", async () => {
    const { user, password } = await buildAdmin(t());
    const token = await resetTokenFor(t(), user.username, password);
    expect((await withToken(t(), token, 'GET', '/api/v1/me')).json()).toMatchObject({
      effectiveRole: 'admin',
      abilities: { managePeople: true },
    });
    await t().services.database.db.updateTable('users').set({ role: 'member' }).where('id', '=', user.id).execute();
    const after = (await withToken(t(), token, 'GET', '/api/v1/me')).json();
    expect(after).toMatchObject({ effectiveRole: 'member', user: { role: 'member' }, abilities: { managePeople: false } });
    expect(after.permissions).not.toContain('organization.people.manage');
  });

  it('refuses the token with 403 password_change_required while the user must change their password', async () => {
    const { user } = await buildUser(t(), { mustChangePassword: true });
    const token = await insertToken(t(), user.id);
    for (const [method, url] of [
      ['GET', '/api/v1/me'],
      ['GET', '/api/v1/me/sessions'],
      ['POST', '/api/v1/me/token'],
    ] as const) {
      const response = await withToken(t(), token, method, url, method === 'POST' ? { currentPassword: 'x' } : undefined);
      expect(response.statusCode, url).toBe(403);
      expect(response.json().code).toBe('password_change_required');
    }
    await t().services.database.db.updateTable('users').set({ must_change_password: 0 }).where('id', '=', user.id).execute();
    expect((await withToken(t(), token, 'GET', '/api/v1/me')).statusCode).toBe(200);
  });

  it('ignores a token in the URL query string', async () => {
    const { user, password } = await buildMember(t());
    const token = await resetTokenFor(t(), user.username, password);
    for (const query of ['token', 'access_token', 'api_token', 'authorization']) {
      const response = await t().app.inject({ method: 'GET', url: `/api/v1/me?${query}=${token}` });
      expect(response.statusCode, query).toBe(401);
      expect(response.json().code).toBe('unauthenticated');
    }
    const inQuery = await t().app.inject({ method: 'GET', url: `/api/v1/me?authorization=${encodeURIComponent(`Bearer ${token}`)}` });
    expect(inQuery.statusCode).toBe(401);
  });

  it('updates lastUsedAt at most once a minute', async () => {
    const { user, password } = await buildMember(t());
    const token = await resetTokenFor(t(), user.username, password);
    const lastUsed = async () =>
      (
        await t()
          .services.database.db.selectFrom('api_tokens')
          .select('last_used_at')
          .where('user_id', '=', user.id)
          .executeTakeFirstOrThrow()
      ).last_used_at;
    expect(await lastUsed()).toBeNull();
    await withToken(t(), token, 'GET', '/api/v1/me');
    const first = await lastUsed();
    expect(first).not.toBeNull();
    t().clock.advance(30_000);
    await withToken(t(), token, 'GET', '/api/v1/me');
    expect(await lastUsed()).toBe(first);
    t().clock.advance(31_000);
    const me = await withToken(t(), token, 'GET', '/api/v1/me');
    const second = await lastUsed();
    expect(second).not.toBe(first);
    expect(me.json().token.lastUsedAt).toBe(second);
  });

  it('exempts token-authenticated writes from the CSRF check and audits them as api', async () => {
    const { user, password } = await buildMember(t());
    const token = await resetTokenFor(t(), user.username, password);
    const response = await t().app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}`, origin: 'https://elsewhere.example' },
      payload: { username: `${user.username}-x` },
    });
    expect(response.statusCode, response.body).toBe(200);
  });

  it('stores tokens under a unique digest index', async () => {
    const { user } = await buildMember(t());
    const other = await buildMember(t());
    const token = await insertToken(t(), user.id);
    const duplicate = t()
      .services.database.db.insertInto('api_tokens')
      .values({
        user_id: other.user.id,
        digest: sha256Hex(token),
        prefix: 'rst_dupe',
        created_at: new Date().toISOString(),
        last_used_at: null,
      })
      .execute();
    await expect(duplicate).rejects.toSatisfy((error: unknown) => t().services.database.isUniqueViolation(error));
    // Sanity: the dialect answers queries after the failed insert.
    await sql`SELECT 1`.execute(t().services.database.db);
  });
});
