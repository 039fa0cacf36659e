import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAdminUrl, type TestDatabase } from '../support/databases.js';
import { type RunningServer, startRoster } from '../support/processes.js';
import { type HttpAnswer, logInOverHttp, type SessionClient } from '../support/session.js';

/**
 * Several nodes on one PostgreSQL database (docs/product/running.md#several-nodes): everything that must be consistent
 * lives in the database, so a change made through node A holds on node B at its very next request. Two real server
 * processes, real HTTP.
 */
const skipReason = 'skipped: set ROSTER_TEST_DATABASE_URL';
if (!postgresAdminUrl) console.warn(`multinode: ${skipReason}`);

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** A request with a bearer token, or with no credential (browser sessions use tests/support/session.ts). */
async function call(origin: string, method: string, path: string, credential: { token: string } | null, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (credential) headers.authorization = `Bearer ${credential.token}`;
  const response = await fetch(`${origin}/api/v1${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const strongPassword = () => `multi-node-${randomBytes(12).toString('hex')}`;

describe.skipIf(!postgresAdminUrl)('several nodes on one PostgreSQL database', () => {
  let database: TestDatabase;
  let a: RunningServer;
  let b: RunningServer;
  let owner: { id: string; password: string; session: SessionClient<HttpAnswer>; token: string };

  /** Creates an account through node A (as the first Owner) and returns its id and temporary password. */
  async function createAccount(email: string, role: 'owner' | 'admin' | 'member') {
    const created = await call(a.url, 'POST', '/people', { token: owner.token }, { accounts: [{ email, role }] });
    expect(created.status).toBe(200);
    const result = (created.body.results as Array<{ status: string; user: { id: string }; temporaryPassword: string }>)[0];
    expect(result?.status).toBe('created');
    return { id: result?.user.id ?? '', temporaryPassword: result?.temporaryPassword ?? '' };
  }

  async function sql<T>(text: string, values: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: database.config.url });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as T[];
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const env = { ROSTER_DATABASE_URL: database.config.url };
    a = await startRoster(env);
    b = await startRoster(env);
    const temporary = /^Temporary password: (\S+)$/m.exec(a.output())?.[1];
    expect(temporary, 'node A prints the first Owner’s temporary password').toBeTruthy();
    expect(b.output()).not.toMatch(/Temporary password/);
    const password = strongPassword();
    const session = await logInOverHttp(a.url, 'admin', temporary ?? '', password);
    const me = await session.get('/api/v1/me');
    const token = await session.post('/api/v1/me/token', { currentPassword: password });
    expect(token.statusCode).toBe(200);
    owner = { id: String(me.json().user.id), password, session, token: String(token.json().token) };
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  }, 60_000);

  it('accepts on node B a session created on node A', async () => {
    const me = await owner.session.onServer(b.url).get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect((me.json().user as { username: string }).username).toBe('admin');
  });

  it('refuses on node B, at its next request, a token reset on node A', async () => {
    expect((await call(b.url, 'GET', '/me', { token: owner.token })).status).toBe(200);
    const reset = await owner.session.post('/api/v1/me/token', { currentPassword: owner.password });
    expect(reset.statusCode).toBe(200);
    const fresh = String(reset.json().token);
    expect((await call(b.url, 'GET', '/me', { token: owner.token })).status).toBe(401);
    expect((await call(b.url, 'GET', '/me', { token: fresh })).status).toBe(200);
    owner.token = fresh;
  });

  it('applies on node B, at its next request, a demotion made on node A', async () => {
    const admin = await createAccount('demoted@multinode.example', 'admin');
    const ask = () =>
      call(b.url, 'POST', '/authorize', { token: owner.token }, { permission: 'organization.people.manage', userId: admin.id });
    expect((await ask()).body.allowed).toBe(true);
    const demoted = await call(a.url, 'PUT', `/people/${admin.id}/role`, { token: owner.token }, { role: 'member' });
    expect(demoted.status).toBe(200);
    expect((await ask()).body.allowed).toBe(false);
  });

  it('leaves exactly one Owner when two Owners demote each other through different nodes at once', async () => {
    const second = await createAccount('second-owner@multinode.example', 'owner');
    const session = await logInOverHttp(b.url, 'second-owner', second.temporaryPassword, strongPassword());
    const [byFirst, bySecond] = await Promise.all([
      call(a.url, 'PUT', `/people/${second.id}/role`, { token: owner.token }, { role: 'admin' }),
      session.put(`/api/v1/people/${owner.id}/role`, { role: 'admin' }),
    ]);
    const statuses = [byFirst.status, bySecond.statusCode].sort();
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const owners = await sql<{ n: string }>("SELECT count(*) AS n FROM users WHERE role = 'owner' AND status = 'active'");
    expect(Number(owners[0]?.n)).toBe(1);
  });

  it('adds up failed logins made on both nodes into one lock', async () => {
    const person = await createAccount('locked@multinode.example', 'member');
    for (const node of [a, b, a, b, a, b]) {
      expect((await call(node.url, 'POST', '/auth/login', null, { login: 'locked', password: 'not the password at all' })).status).toBe(
        401,
      );
    }
    const rows = await sql<{ failed_login_count: number; locked_until: string | null }>(
      'SELECT failed_login_count, locked_until FROM users WHERE id = $1',
      [person.id],
    );
    // The fifth failure locks (docs/product/security-settings.md#login-throttling); the sixth attempt is refused
    // unchecked and adds no failure.
    expect(rows[0]?.failed_login_count).toBe(5);
    expect(rows[0]?.locked_until).not.toBeNull();
    // Locked: even the right (temporary) password is refused, on either node.
    expect((await call(b.url, 'POST', '/auth/login', null, { login: 'locked', password: person.temporaryPassword })).status).toBe(401);
    expect((await call(a.url, 'POST', '/auth/login', null, { login: 'locked', password: person.temporaryPassword })).status).toBe(401);
  });
});

if (!postgresAdminUrl) {
  describe('several nodes on one PostgreSQL database', () => {
    it.skip(skipReason, () => undefined);
  });
}
