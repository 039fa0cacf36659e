import type { AddressInfo } from 'node:net';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { buildMember, buildOwner, type TestUser } from '../support/factories.js';
import { type HttpAnswer, loginAs, type SessionClient } from '../support/session.js';
import { useTestApp } from '../support/test-app.js';

/**
 * Races over real sockets: the app listens on a port and every request of a race is sent at once with fetch, so the
 * server handles them concurrently exactly as in production
 * (docs/product/roles-and-permissions.md#rules-nobody-can-break: rules hold "under concurrent requests").
 */
describeEachDatabase('concurrency', (dialect) => {
  const t = useTestApp(dialect);

  let base = '';
  /** Owners' and Members' browser sessions over real sockets. */
  let logIn: (person: TestUser) => Promise<SessionClient<HttpAnswer>>;
  beforeAll(async () => {
    await t().app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t().app.server.address() as AddressInfo).port}`;
    // Logging in needs no socket; the racing requests do.
    logIn = async (person) => (await loginAs(t().app, person.user.username, person.password)).onServer(base);
  });

  it('lets exactly one of two Owners demoting each other win, leaving one Owner', async () => {
    for (let round = 0; round < 5; round++) {
      // Start from exactly two active Owners.
      await t().services.database.db.updateTable('users').set({ role: 'member' }).where('role', '=', 'owner').execute();
      const a = await buildOwner(t());
      const b = await buildOwner(t());
      const sa = await logIn(a);
      const sb = await logIn(b);
      const [ab, ba] = await Promise.all([
        sa.request('PUT', `/api/v1/people/${b.user.id}/role`, { role: 'member' }),
        sb.request('PUT', `/api/v1/people/${a.user.id}/role`, { role: 'member' }),
      ]);
      expect([ab.statusCode, ba.statusCode].sort(), `${ab.body} / ${ba.body}`).toEqual([200, 403].sort());
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
    const sx = await logIn(x);
    const sy = await logIn(y);
    const [rx, ry] = await Promise.all([
      sx.request('PATCH', '/api/v1/me', { username: 'contested' }),
      sy.request('PATCH', '/api/v1/me', { username: 'contested' }),
    ]);
    expect([rx.statusCode, ry.statusCode].sort()).toEqual([200, 409]);
    expect(JSON.parse(rx.statusCode === 409 ? rx.body : ry.body).code).toBe('username_taken');
    const holders = await t().services.database.db.selectFrom('users').select('id').where('username', '=', 'contested').execute();
    expect(holders).toHaveLength(1);
  });

  it('never leaves a project owned by a removed person when a transfer races the removal', async () => {
    // The Owner race above demoted the suite's Owner; act as a fresh one.
    const fresh = await buildOwner(t());
    const owner = await logIn(fresh);
    for (let round = 0; round < 6; round++) {
      const leaving = await buildMember(t());
      const heir = await buildMember(t());
      const project = (await owner.post('/api/v1/projects', { name: `race-${dialect}-${round}` })).json() as { id: string };
      await owner.put(`/api/v1/projects/${project.id}/owner`, { userId: leaving.user.id });
      const [transfer, removal] = await Promise.all([
        owner.request('PUT', `/api/v1/projects/${project.id}/owner`, { userId: heir.user.id }),
        owner.request('DELETE', `/api/v1/people/${leaving.user.id}`),
      ]);
      expect(transfer.statusCode, transfer.body).toBe(200);
      expect([204, 409], removal.body).toContain(removal.statusCode);
      const orphaned = await t()
        .services.database.db.selectFrom('projects')
        .innerJoin('users', 'users.id', 'projects.owner_id')
        .select('projects.id')
        .where('users.status', '=', 'removed')
        .execute();
      expect(orphaned).toEqual([]);
    }
  });

  it('never lets a project be given TO a person while that person is removed (R4, the direction that can fail)', async () => {
    const fresh = await buildOwner(t());
    const owner = await logIn(fresh);
    const db = t().services.database.db;
    const projectsPerRound = 4;
    /** One round: several projects are given to `leaving` (and `leaving` creates one) at the very moment it is removed. */
    async function round(index: number) {
      const leaving = await buildMember(t());
      const leavingSession = await logIn(leaving);
      const projects: string[] = [];
      for (let p = 0; p < projectsPerRound; p++) {
        const created = await owner.post('/api/v1/projects', { name: `to-${dialect}-${index}-${p}-${leaving.user.id.slice(0, 8)}` });
        projects.push((created.json() as { id: string }).id);
      }
      // A removal (no body to read) reaches its transaction a little sooner than a transfer; holding it back a few
      // milliseconds in some rounds lets the transfers go first there, so both orders are really tried.
      const removalDelay = [0, 0, 2, 5, 10][index % 5] ?? 0;
      const requests = [
        async () => {
          if (removalDelay > 0) await new Promise((resolve) => setTimeout(resolve, removalDelay));
          return owner.request('DELETE', `/api/v1/people/${leaving.user.id}`);
        },
        ...projects.map((id) => () => owner.request('PUT', `/api/v1/projects/${id}/owner`, { userId: leaving.user.id })),
        () => leavingSession.request('POST', '/api/v1/projects', { name: `own-${dialect}-${index}-${leaving.user.id.slice(0, 8)}` }),
      ];
      // The removal goes out in a different place each round (first, second, … last), so both orders are tried.
      const removalAt = index % requests.length;
      const sendingOrder = [...requests.slice(requests.length - removalAt), ...requests.slice(0, requests.length - removalAt)];
      const pending = new Map(sendingOrder.map((send) => [send, send()]));
      const answers = await Promise.all(requests.map((send) => pending.get(send)));
      const [removal, ...others] = answers.map((answer) => {
        if (!answer) throw new Error('a request got no answer');
        return answer;
      });
      if (!removal) throw new Error('no removal answer');
      const transfers = others.slice(0, projectsPerRound);
      const creation = others[projectsPerRound];
      const status = (await db.selectFrom('users').select('status').where('id', '=', leaving.user.id).executeTakeFirstOrThrow()).status;
      const owned = await db.selectFrom('projects').select('id').where('owner_id', '=', leaving.user.id).execute();
      // Each request either happened before the removal (and then the removal had to refuse: 409) or after it
      // (and then it had to refuse: the new owner must be active / the session is gone).
      expect([204, 409], removal.body).toContain(removal.statusCode);
      for (const transfer of transfers) expect([200, 400], transfer.body).toContain(transfer.statusCode);
      // Created in time (201), or refused because the account was removed first (401: session gone; 403: inactive).
      expect([201, 401, 403], creation?.body).toContain(creation?.statusCode);
      if (removal.statusCode === 204) {
        expect(status).toBe('removed');
        expect(owned, `round ${index}: a removed person owns projects`).toEqual([]);
        expect(transfers.every((transfer) => transfer.statusCode === 400)).toBe(true);
      } else {
        expect(status).toBe('active');
        expect(JSON.parse(removal.body).code).toBe('user_owns_projects');
        expect(owned.length).toBeGreaterThan(0);
      }
      return removal.statusCode;
    }
    const outcomes: number[] = [];
    // Many rounds, several at a time, so removals and transfers of different people interleave as well.
    for (let batch = 0; batch < 6; batch++) {
      outcomes.push(...(await Promise.all([0, 1, 2, 3].map((i) => round(batch * 4 + i)))));
    }
    const orphaned = await db
      .selectFrom('projects')
      .innerJoin('users', 'users.id', 'projects.owner_id')
      .select('projects.id')
      .where('users.status', '=', 'removed')
      .execute();
    expect(orphaned).toEqual([]);
    // Both orders happened at least once, or the race was not really run.
    console.info(`[${dialect}] removals won ${outcomes.filter((s) => s === 204).length} of ${outcomes.length} rounds`);
    expect(new Set(outcomes)).toEqual(new Set([204, 409]));
  }, 240_000);

  it('leaves exactly one valid token after ten parallel resets', async () => {
    const member = await buildMember(t());
    const session = await logIn(member);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => session.request('POST', '/api/v1/me/token', { currentPassword: member.password })),
    );
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
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
