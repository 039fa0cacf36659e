import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildUser } from '../../support/factories.js';
import { postLogin } from '../../support/session.js';
import { useTestApp } from '../../support/test-app.js';
import { auditEvents, caller } from './support.js';

describeEachDatabase('adding people', (dialect) => {
  const t = useTestApp(dialect);

  it('infers usernames from emails, with -2 for a taken name', async () => {
    const owner = await caller(t());
    await buildUser(t(), { username: 'taken', email: 'someone-else@example.com' });
    const response = await owner.call('POST', '/api/v1/people', {
      accounts: [
        { email: 'john.doe+ci@x.io' },
        { email: 'a@x.io' },
        { email: 'taken@x.io' },
        { email: 'root@x.io' },
        { email: 'taken@y.io' },
      ],
    });
    expect(response.statusCode).toBe(200);
    const results = response.json().results as Array<{
      status: string;
      user: { username: string; role: string; mustChangePassword: boolean };
    }>;
    expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created', 'created', 'created']);
    expect(results.map((r) => r.user.username)).toEqual(['john.doe', 'a0', 'taken-2', 'root-2', 'taken-3']);
    expect(results.every((r) => r.user.role === 'member' && r.user.mustChangePassword)).toBe(true);
  });

  it('answers exists for an active email in any case, without a new password or role change', async () => {
    const owner = await caller(t());
    const bob = await buildUser(t(), { username: 'bob', email: 'bob@example.com' });
    const response = await owner.call('POST', '/api/v1/people', { accounts: [{ email: 'Bob@Example.com', role: 'admin' }] });
    expect(response.json().results).toEqual([
      { email: 'Bob@Example.com', status: 'exists', user: expect.objectContaining({ id: bob.user.id, role: 'member' }) },
    ]);
    expect(response.body).not.toContain('temporaryPassword');
    expect((await postLogin(t().app, 'bob', bob.password)).statusCode).toBe(200);
  });

  it('creates the good rows of a batch with bad ones, in input order', async () => {
    const admin = await caller(t(), 'admin');
    await buildUser(t(), { username: 'occupied' });
    const response = await admin.call('POST', '/api/v1/people', {
      accounts: [
        { email: 'good-1@example.com' },
        { email: 'not an email' },
        { email: 'good-2@example.com', username: 'occupied' },
        { email: 'good-3@example.com', username: 'Bad Name!' },
        { email: 'good-4@example.com', role: 'owner' },
        { email: 'good-5@example.com', role: 'admin', username: 'ＧＯＯＤ-five' },
      ],
    });
    expect(response.statusCode).toBe(200);
    const results = response.json().results as Array<{
      email: string;
      status: string;
      error?: { code: string };
      user?: { username: string; role: string };
    }>;
    expect(results.map((r) => [r.email, r.status, r.error?.code])).toEqual([
      ['good-1@example.com', 'created', undefined],
      ['not an email', 'failed', 'invalid_email'],
      ['good-2@example.com', 'failed', 'username_taken'],
      ['good-3@example.com', 'failed', 'invalid_username'],
      ['good-4@example.com', 'failed', 'forbidden'], // R3: an Admin does not hold the Owner's permissions
      ['good-5@example.com', 'created', undefined], // …but holds every permission of Admin
    ]);
    expect(results[5]?.user).toMatchObject({ username: 'good-five', role: 'admin' });
  });

  it('writes exactly one user.created event per account, without the password', async () => {
    const owner = await caller(t());
    const response = await owner.call('POST', '/api/v1/people', {
      accounts: [{ email: 'audited-1@example.com' }, { email: 'audited-2@example.com' }],
    });
    for (const result of response.json().results as Array<{ user: { id: string }; temporaryPassword: string }>) {
      const events = await auditEvents(t(), result.user.id);
      expect(events.map((e) => e.action)).toEqual(['user.created']);
      expect(events[0]?.details).not.toContain(result.temporaryPassword);
      expect(events.map((e) => e.outcome)).toEqual(['success']);
    }
    for (const line of t().logs)
      expect(line).not.toContain((response.json().results[0] as { temporaryPassword: string }).temporaryPassword);
  });

  it('gives a temporary password that logs in to a restricted session', async () => {
    const owner = await caller(t());
    const created = (await owner.call('POST', '/api/v1/people', { accounts: [{ email: 'first-timer@example.com' }] })).json().results[0];
    expect(created.temporaryPassword).toMatch(/^[0-9A-Z]{20}$/);
    const login = await postLogin(t().app, 'first-timer', created.temporaryPassword);
    expect(login.statusCode).toBe(200);
    expect(login.json().mustChangePassword).toBe(true);
  });

  it('accepts a bulk body beyond the global 64 KiB limit, up to 1 MiB', async () => {
    const owner = await caller(t());
    // 500 rows of ~300 characters: about 160 KB, over the default limit; each row fails on its own (no hashing).
    const accounts = Array.from({ length: 500 }, (_, i) => ({ email: `${'x'.repeat(290)}-${i}@example` }));
    const response = await owner.call('POST', '/api/v1/people', { accounts });
    expect(response.statusCode).toBe(200);
    const results = response.json().results as Array<{ status: string; error: { code: string } }>;
    expect(results).toHaveLength(500);
    expect(results.every((r) => r.status === 'failed' && r.error.code === 'invalid_email')).toBe(true);
    const tooBig = await t().app.inject({
      method: 'POST',
      url: '/api/v1/people',
      headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ accounts: [{ email: 'a@example.com', username: 'x'.repeat(1024 * 1024) }] }),
    });
    expect(tooBig.statusCode).toBe(413);
    // Other routes keep the 64 KiB limit.
    const elsewhere = await owner.call('PUT', `/api/v1/people/${owner.user.id}/email`, { email: 'y'.repeat(70 * 1024) });
    expect(elsewhere.statusCode).toBe(413);
  });

  it('refuses Members, unknown fields, empty and oversized batches', async () => {
    const member = await caller(t(), 'member');
    expect((await member.call('POST', '/api/v1/people', { accounts: [{ email: 'nope@example.com' }] })).statusCode).toBe(403);
    const owner = await caller(t());
    for (const body of [
      { accounts: [{ email: 'x@example.com', password: 'chosen' }] },
      { accounts: [], extra: true },
      { accounts: [] },
      { accounts: Array.from({ length: 501 }, (_, i) => ({ email: `bulk-${i}@example.com` })) },
    ]) {
      const response = await owner.call('POST', '/api/v1/people', body);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('validation_failed');
    }
  });
});
