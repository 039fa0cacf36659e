import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { buildMember, buildOwner } from '../support/factories.js';
import { loginAs, useTestApp } from '../support/test-app.js';

/**
 * Races over real sockets: the app listens on a port and every request of a race is sent at once with fetch, so the
 * server handles them concurrently exactly as in production (SPEC §3.4: rules hold "under concurrent requests").
 */
describeEachDatabase('concurrency', (dialect) => {
  const t = useTestApp(dialect);
  let base = '';

  async function http(session: { cookie: string; csrfToken: string }, method: string, path: string, body?: unknown) {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.text()) || '{}' };
  }

  it('listens', async () => {
    await t().app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t().app.server.address() as AddressInfo).port}`;
  });

  it('lets exactly one of two Owners demoting each other win, leaving one Owner', async () => {
    for (let round = 0; round < 5; round++) {
      // Start from exactly two active Owners.
      await t().services.database.db.updateTable('users').set({ role: 'member' }).where('role', '=', 'owner').execute();
      const a = await buildOwner(t());
      const b = await buildOwner(t());
      const sa = await loginAs(t().app, a.user.username, a.password);
      const sb = await loginAs(t().app, b.user.username, b.password);
      const [ab, ba] = await Promise.all([
        http(sa, 'PUT', `/api/v1/people/${b.user.id}/role`, { role: 'member' }),
        http(sb, 'PUT', `/api/v1/people/${a.user.id}/role`, { role: 'member' }),
      ]);
      expect([ab.status, ba.status].sort(), `${ab.body} / ${ba.body}`).toEqual([200, 403].sort());
      const owners = await t()
        .services.database.db.selectFrom('users')
        .select('id')
        .where('role', '=', 'owner')
        .where('status', '=', 'active')
        .execute();
      expect(owners).toHaveLength(1);
    }
  });

  it('gives a username claimed twice at once to exactly one person', async () => {
    const x = await buildMember(t());
    const y = await buildMember(t());
    const sx = await loginAs(t().app, x.user.username, x.password);
    const sy = await loginAs(t().app, y.user.username, y.password);
    const [rx, ry] = await Promise.all([
      http(sx, 'PATCH', '/api/v1/me', { username: 'contested' }),
      http(sy, 'PATCH', '/api/v1/me', { username: 'contested' }),
    ]);
    expect([rx.status, ry.status].sort()).toEqual([200, 409]);
    expect(JSON.parse(rx.status === 409 ? rx.body : ry.body).code).toBe('username_taken');
    const holders = await t().services.database.db.selectFrom('users').select('id').where('username', '=', 'contested').execute();
    expect(holders).toHaveLength(1);
  });

  it('never leaves a project owned by a removed person when a transfer races the removal', async () => {
    // The Owner race above demoted the suite's Owner; act as a fresh one.
    const fresh = await buildOwner(t());
    const owner = await loginAs(t().app, fresh.user.username, fresh.password);
    for (let round = 0; round < 6; round++) {
      const leaving = await buildMember(t());
      const heir = await buildMember(t());
      const project = (await owner.post('/api/v1/projects', { name: `race-${dialect}-${round}` })).json() as { id: string };
      await owner.put(`/api/v1/projects/${project.id}/owner`, { userId: leaving.user.id });
      const [transfer, removal] = await Promise.all([
        http(owner, 'PUT', `/api/v1/projects/${project.id}/owner`, { userId: heir.user.id }),
        http(owner, 'DELETE', `/api/v1/people/${leaving.user.id}`),
      ]);
      expect(transfer.status, transfer.body).toBe(200);
      expect([204, 409], removal.body).toContain(removal.status);
      const orphaned = await t()
        .services.database.db.selectFrom('projects')
        .innerJoin('users', 'users.id', 'projects.owner_id')
        .select('projects.id')
        .where('users.status', '=', 'removed')
        .execute();
      expect(orphaned).toEqual([]);
    }
  });

  it('leaves exactly one valid token after ten parallel resets', async () => {
    const member = await buildMember(t());
    const session = await loginAs(t().app, member.user.username, member.password);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => http(session, 'POST', '/api/v1/me/token', { currentPassword: member.password })),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const tokens = answers.map((a) => (JSON.parse(a.body) as { token: string }).token);
    expect(new Set(tokens).size).toBe(10);
    const valid = [];
    for (const token of tokens) {
      const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      if (me.status === 200) valid.push(token);
    }
    expect(valid).toHaveLength(1);
    const rows = await t().services.database.db.selectFrom('api_tokens').select('user_id').where('user_id', '=', member.user.id).execute();
    expect(rows).toHaveLength(1);
  });
});
