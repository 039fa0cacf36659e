import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAdminUrl, type TestDatabase } from '../support/databases.js';
import { type RunningServer, startRoster } from '../support/processes.js';
import { logInOverHttp } from '../support/session.js';

/**
 * Service accounts on two nodes sharing one PostgreSQL database (docs/product/service-accounts.md#deactivation): a
 * deactivation, reactivation, regeneration or deletion made through node A holds on node B at its very next request.
 */
async function call(origin: string, method: string, path: string, token: string, body?: unknown) {
  const response = await fetch(`${origin}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe.skipIf(!postgresAdminUrl)('service accounts on several nodes', () => {
  let database: TestDatabase;
  let a: RunningServer;
  let b: RunningServer;
  let ownerToken: string;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const env = { ROSTER_DATABASE_URL: database.config.url };
    a = await startRoster(env);
    b = await startRoster(env);
    const temporary = /^Temporary password: (\S+)$/m.exec(a.output())?.[1] ?? '';
    const password = `multi-node-${randomBytes(12).toString('hex')}`;
    const session = await logInOverHttp(a.url, 'admin', temporary, password);
    ownerToken = String((await session.post('/api/v1/me/token', { currentPassword: password })).json().token);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  }, 60_000);

  it('stops and restores the token on node B at the very next request after node A deactivates, reactivates, regenerates and deletes', async () => {
    const created = await call(a.url, 'POST', '/service-accounts', ownerToken, { name: 'multi-node-bot', role: 'member' });
    expect(created.status).toBe(201);
    const id = String((created.body.serviceAccount as { id: string }).id);
    const token = String(created.body.token);
    expect((await call(b.url, 'GET', '/me', token)).status).toBe(200);

    expect((await call(a.url, 'POST', `/service-accounts/${id}/deactivate`, ownerToken, {})).status).toBe(200);
    const refused = await call(b.url, 'GET', '/me', token);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('service_account_deactivated');

    expect((await call(a.url, 'POST', `/service-accounts/${id}/reactivate`, ownerToken, {})).status).toBe(200);
    expect((await call(b.url, 'GET', '/me', token)).status).toBe(200);

    const regenerated = await call(a.url, 'POST', `/service-accounts/${id}/token`, ownerToken, { expiresInDays: 30 });
    const fresh = String(regenerated.body.token);
    expect((await call(b.url, 'GET', '/me', token)).body.code).toBe('invalid_token');
    expect((await call(b.url, 'GET', '/me', fresh)).status).toBe(200);

    expect((await call(a.url, 'DELETE', `/service-accounts/${id}`, ownerToken)).status).toBe(204);
    expect((await call(b.url, 'GET', '/me', fresh)).status).toBe(401);
  }, 120_000);
});
