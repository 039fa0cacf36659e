import type { InjectOptions } from 'fastify';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { buildAdmin, buildApiToken, buildMember, buildOwner, buildProject, buildUser, type TestUser } from '../support/factories.js';
import { loginAs, postLogin, type TestApp, useTestApp } from '../support/test-app.js';

/** A caller with a personal API token (no password hashing per request, no CSRF). */
async function caller(t: TestApp, role: 'owner' | 'admin' | 'member' = 'owner') {
  const person = role === 'owner' ? await buildOwner(t) : role === 'admin' ? await buildAdmin(t) : await buildMember(t);
  const token = await buildApiToken(t, person.user);
  const call = (method: InjectOptions['method'], url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  return { ...person, token, call };
}

async function auditEvents(t: TestApp, targetId: string, action?: string) {
  let query = t.services.database.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'details', 'target_name'])
    .where('target_id', '=', targetId);
  if (action) query = query.where('action', '=', action);
  return query.orderBy('seq').execute();
}

describeEachDatabase('people list and search', (dialect) => {
  const t = useTestApp(dialect);

  it('lists people with groups, effective role and row abilities, and refuses Members', async () => {
    const owner = await caller(t());
    const admin = await caller(t(), 'admin');
    const member = await buildMember(t(), { username: 'listed-member' });
    const now = t().services.now().toISOString();
    await t()
      .services.database.db.insertInto('groups')
      .values({ id: 'g-ops', name: 'ops', name_canonical: 'ops', description: '', role: 'admin', created_at: now })
      .execute();
    await t()
      .services.database.db.insertInto('group_members')
      .values({ group_id: 'g-ops', user_id: member.user.id, created_at: now })
      .execute();

    const asOwner = await owner.call('GET', '/api/v1/people?query=listed-member');
    expect(asOwner.statusCode).toBe(200);
    expect(asOwner.json().items).toEqual([
      expect.objectContaining({
        id: member.user.id,
        username: 'listed-member',
        role: 'member',
        effectiveRole: 'admin',
        groups: [{ id: 'g-ops', name: 'ops' }],
        abilities: { edit: true, remove: true },
      }),
    ]);
    expect(asOwner.body).not.toMatch(/password_hash|failed_login|digest/);
    // The group makes them an Admin, so another Admin may not manage them (R2 uses the effective role).
    const asAdmin = await admin.call('GET', '/api/v1/people?query=listed-member');
    expect(asAdmin.json().items[0].abilities).toEqual({ edit: false, remove: false });

    const asMember = await (await caller(t(), 'member')).call('GET', '/api/v1/people');
    expect(asMember.statusCode).toBe(403);
    expect(asMember.json().code).toBe('forbidden');
    expect((await t().app.inject({ method: 'GET', url: '/api/v1/people' })).statusCode).toBe(401);
  });

  it('searches username and email by prefix and substring, case-insensitively, prefix matches first', async () => {
    const owner = await caller(t());
    await buildUser(t(), { username: 'zed-search', email: 'Alpha.Search@Example.com' });
    await buildUser(t(), { username: 'search-beta', email: 'beta@example.org' });
    await buildUser(t(), { username: 'gamma', email: 'gamma-research@example.net' });
    await buildUser(t(), { username: 'unrelated', email: 'unrelated@example.net' });
    const names = async (query: string) =>
      ((await owner.call('GET', `/api/v1/people?query=${encodeURIComponent(query)}`)).json().items as Array<{ username: string }>).map(
        (p) => p.username,
      );
    expect(await names('search-b')).toEqual(['search-beta']); // username prefix
    expect(await names('ALPHA.S')).toEqual(['zed-search']); // email prefix, any case
    expect(await names('SEARCH')).toEqual(['search-beta', 'gamma', 'zed-search']); // prefix first, then substrings
    expect(await names('research@')).toEqual(['gamma']); // email substring
    expect(await names('nothing-like-this')).toEqual([]);
    expect(await names('%')).toEqual([]); // LIKE wildcards match themselves
    expect(await names('_')).toEqual([]);
  });

  it('pages with a cursor so that every person appears exactly once, with and without a search', async () => {
    const owner = await caller(t());
    for (let i = 0; i < 7; i++) await buildUser(t(), { username: `pager-${i}`, email: `${i}-pager@example.com` });
    for (let i = 0; i < 4; i++) await buildUser(t(), { username: `x-${i}-inner`, email: `x${i}@pager.example.com` });
    // Email prefix matches, named against their email order, so the phase's own (email) order shows.
    for (let i = 0; i < 5; i++) await buildUser(t(), { username: `mailbox-${4 - i}`, email: `pagerbox${i}@example.com` });
    const all = await t().services.database.db.selectFrom('users').select('username').where('status', '=', 'active').execute();

    for (const [query, expected] of [
      ['', all.map((u) => u.username)],
      [
        'pager',
        // Username prefixes by username, then email prefixes by email, then substrings by username.
        [
          ...Array.from({ length: 7 }, (_, i) => `pager-${i}`),
          ...Array.from({ length: 5 }, (_, i) => `mailbox-${4 - i}`),
          ...Array.from({ length: 4 }, (_, i) => `x-${i}-inner`),
        ],
      ],
    ] as const) {
      for (const limit of [1, 3, 7, 50]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const url: string = `/api/v1/people?limit=${limit}&query=${query}${cursor ? `&cursor=${cursor}` : ''}`;
          const page = await owner.call('GET', url);
          expect(page.statusCode).toBe(200);
          const body = page.json() as { items: Array<{ username: string }>; nextCursor: string | null };
          expect(body.items.length).toBeLessThanOrEqual(limit);
          seen.push(...body.items.map((p) => p.username));
          cursor = body.nextCursor;
          pages++;
        } while (cursor && pages < 100);
        expect(seen.length, `query=${query} limit=${limit}`).toBe(new Set(seen).size);
        if (query === '') expect([...seen].sort()).toEqual([...expected].sort());
        else expect(seen, `query=${query} limit=${limit}`).toEqual(expected);
      }
    }
  });

  it('filters by role and status, and rejects bad parameters', async () => {
    const owner = await caller(t());
    const roles = (await owner.call('GET', '/api/v1/people?role=owner&limit=500')).json().items.map((p: { role: string }) => p.role);
    expect(new Set(roles)).toEqual(new Set(['owner']));
    expect((await owner.call('GET', '/api/v1/people?status=removed')).json().items).toEqual([]);
    for (const query of ['limit=0', 'limit=501', 'role=god', 'status=gone', 'cursor=not-a-cursor', 'sort=email']) {
      const response = await owner.call('GET', `/api/v1/people?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().code).toBe('validation_failed');
    }
  });
});

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

describeEachDatabase('changing roles (R1–R3)', (dialect) => {
  const t = useTestApp(dialect);

  it('lets an Owner promote and demote anyone, Owners included, and audits from/to', async () => {
    const owner = await caller(t());
    const target = await buildMember(t());
    const promoted = await owner.call('PUT', `/api/v1/people/${target.user.id}/role`, { role: 'owner' });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).toMatchObject({ role: 'owner', effectiveRole: 'owner' });
    expect((await owner.call('PUT', `/api/v1/people/${target.user.id}/role`, { role: 'member' })).json().role).toBe('member');
    const events = await auditEvents(t(), target.user.id, 'user.role_changed');
    expect(events.map((e) => JSON.parse(e.details))).toEqual([
      expect.objectContaining({ from: 'member', to: 'owner' }),
      expect.objectContaining({ from: 'owner', to: 'member' }),
    ]);
  });

  it('lets an Admin promote a Member to Admin, then no longer manage them', async () => {
    const admin = await caller(t(), 'admin');
    const target = await buildMember(t());
    expect((await admin.call('PUT', `/api/v1/people/${target.user.id}/role`, { role: 'admin' })).statusCode).toBe(200);
    const again = await admin.call('PUT', `/api/v1/people/${target.user.id}/role`, { role: 'member' });
    expect(again.statusCode).toBe(403);
    expect(again.json().detail).toMatch(/Admins cannot change the role of another Admin/);
  });

  it('refuses an Admin granting Owner, acting on an Owner or another Admin, or changing its own role', async () => {
    const admin = await caller(t(), 'admin');
    const member = await buildMember(t());
    const otherAdmin = await buildAdmin(t());
    const owner = await buildOwner(t());
    const cases: Array<[string, string, RegExp]> = [
      [member.user.id, 'owner', /cannot grant the Owner role/],
      [owner.user.id, 'member', /Admins cannot change the role of an Owner/],
      [otherAdmin.user.id, 'member', /another Admin/],
      [admin.user.id, 'member', /Nobody can change their own role/],
    ];
    for (const [id, role, detail] of cases) {
      const response = await admin.call('PUT', `/api/v1/people/${id}/role`, { role });
      expect(response.statusCode, `${id} → ${role}`).toBe(403);
      expect(response.json()).toMatchObject({ code: 'forbidden', detail: expect.stringMatching(detail) });
    }
    const denied = await auditEvents(t(), owner.user.id, 'user.role_changed');
    expect(denied.map((e) => e.outcome)).toEqual(['denied']);
  });

  it('shows the roles an Admin may grant and why the others are disabled', async () => {
    const admin = await caller(t(), 'admin');
    const member = await buildMember(t());
    const detail = (await admin.call('GET', `/api/v1/people/${member.user.id}`)).json();
    expect(detail.abilities).toMatchObject({
      changeRole: true,
      allowedRoles: ['admin', 'member'],
      changeEmail: true,
      resetPassword: true,
      unlock: true,
      endSessions: true,
      remove: true,
    });
    expect(detail.abilities.disabledReasons).toEqual({ owner: expect.stringMatching(/cannot grant the Owner role/) });
    const self = (await admin.call('GET', `/api/v1/people/${admin.user.id}`)).json();
    expect(self.abilities).toMatchObject({ changeRole: false, allowedRoles: ['admin'], remove: false, resetPassword: false });
  });

  it('answers 404 for an unknown person and 400 for an unknown role or field', async () => {
    const owner = await caller(t());
    expect((await owner.call('PUT', '/api/v1/people/00000000-0000-4000-8000-000000000000/role', { role: 'admin' })).statusCode).toBe(404);
    expect((await owner.call('GET', '/api/v1/people/not-a-uuid')).statusCode).toBe(404);
    const member = await buildMember(t());
    expect((await owner.call('PUT', `/api/v1/people/${member.user.id}/role`, { role: 'god' })).statusCode).toBe(400);
    const extra = await owner.call('PUT', `/api/v1/people/${member.user.id}/role`, { role: 'admin', force: true });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().errors).toEqual([{ field: '/force', message: 'Unknown field "force".' }]);
  });
});

describeEachDatabase('the last Owner (R1)', (dialect) => {
  const t = useTestApp(dialect);

  it('refuses to demote or remove the last Owner, and lets an Owner step down while another exists', async () => {
    const { app, owner } = t();
    const token = await buildApiToken(t(), owner.user);
    const call = (method: InjectOptions['method'], url: string, payload?: object) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

    const demote = await call('PUT', `/api/v1/people/${owner.user.id}/role`, { role: 'admin' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().code).toBe('last_owner');
    const remove = await call('DELETE', `/api/v1/people/${owner.user.id}`);
    expect(remove.statusCode).toBe(409);
    expect(remove.json().code).toBe('last_owner');
    const detail = (await call('GET', `/api/v1/people/${owner.user.id}`)).json();
    expect(detail.abilities).toMatchObject({ changeRole: false, allowedRoles: ['owner'], remove: false });
    expect(detail.abilities.disabledReasons.admin).toMatch(/at least one Owner/);

    const second = await buildOwner(t());
    const stepDown = await call('PUT', `/api/v1/people/${owner.user.id}/role`, { role: 'admin' });
    expect(stepDown.statusCode).toBe(200);
    expect(stepDown.json()).toMatchObject({ role: 'admin' });
    // Now an Admin: it cannot take its role back, nor touch the remaining Owner.
    expect((await call('PUT', `/api/v1/people/${owner.user.id}/role`, { role: 'owner' })).statusCode).toBe(403);
    expect((await call('PUT', `/api/v1/people/${second.user.id}/role`, { role: 'member' })).statusCode).toBe(403);
    const owners = await t()
      .services.database.db.selectFrom('users')
      .select('id')
      .where('role', '=', 'owner')
      .where('status', '=', 'active')
      .execute();
    expect(owners.map((o) => o.id)).toEqual([second.user.id]);
  });
});

describeEachDatabase('two Owners demoting each other at once (R1)', (dialect) => {
  const t = useTestApp(dialect);

  async function ownerCaller(person: TestUser) {
    const token = await buildApiToken(t(), person.user);
    return (method: InjectOptions['method'], url: string, payload?: object) =>
      t().app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  }

  async function activeOwners() {
    return t().services.database.db.selectFrom('users').select('id').where('role', '=', 'owner').where('status', '=', 'active').execute();
  }

  it('leaves exactly one Owner when each demotes the other', async () => {
    const a = t().owner;
    const b = await buildOwner(t());
    const [asA, asB] = [await ownerCaller(a), await ownerCaller(b)];
    const responses = await Promise.all([
      asA('PUT', `/api/v1/people/${b.user.id}/role`, { role: 'member' }),
      asB('PUT', `/api/v1/people/${a.user.id}/role`, { role: 'member' }),
    ]);
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    expect(await activeOwners()).toHaveLength(1);
  });

  it('leaves exactly one Owner when both step down at once', async () => {
    const [remaining] = await activeOwners();
    if (!remaining) throw new Error('no owner');
    const a = await t().services.database.db.selectFrom('users').selectAll().where('id', '=', remaining.id).executeTakeFirstOrThrow();
    const b = await buildOwner(t());
    const [asA, asB] = [await ownerCaller({ user: a, password: '' }), await ownerCaller(b)];
    const responses = await Promise.all([
      asA('PUT', `/api/v1/people/${a.id}/role`, { role: 'admin' }),
      asB('PUT', `/api/v1/people/${b.user.id}/role`, { role: 'admin' }),
    ]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(responses.find((r) => r.statusCode === 409)?.json().code).toBe('last_owner');
    expect(await activeOwners()).toHaveLength(1);
  });

  it('leaves exactly one Owner when each removes the other', async () => {
    const [remaining] = await activeOwners();
    if (!remaining) throw new Error('no owner');
    const a = await t().services.database.db.selectFrom('users').selectAll().where('id', '=', remaining.id).executeTakeFirstOrThrow();
    const b = await buildOwner(t());
    const [asA, asB] = [await ownerCaller({ user: a, password: '' }), await ownerCaller(b)];
    const responses = await Promise.all([asA('DELETE', `/api/v1/people/${b.user.id}`), asB('DELETE', `/api/v1/people/${a.id}`)]);
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses[0]).toBe(204);
    expect([403, 409]).toContain(statuses[1]);
    expect(await activeOwners()).toHaveLength(1);
  });
});

describeEachDatabase('email change, password reset, unlock and sessions', (dialect) => {
  const t = useTestApp(dialect);

  it("changes someone else's email, refusing one in use (any case), and audits old and new", async () => {
    const owner = await caller(t());
    const target = await buildMember(t());
    await buildUser(t(), { email: 'in-use@example.com' });
    const taken = await owner.call('PUT', `/api/v1/people/${target.user.id}/email`, { email: 'IN-USE@example.com' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('email_taken');
    expect((await owner.call('PUT', `/api/v1/people/${target.user.id}/email`, { email: 'nonsense' })).json().code).toBe('invalid_email');
    const changed = await owner.call('PUT', `/api/v1/people/${target.user.id}/email`, { email: 'New.Address@Example.com' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().email).toBe('New.Address@Example.com');
    const events = await auditEvents(t(), target.user.id, 'user.email_changed');
    expect(events.map((e) => JSON.parse(e.details))).toEqual([
      expect.objectContaining({ from: target.user.email, to: 'New.Address@Example.com' }),
    ]);
    expect((await postLogin(t().app, 'new.address@example.com', target.password)).statusCode).toBe(200);
  });

  it('resets a password: ends sessions, forces a change at next login, optionally revokes the token', async () => {
    const admin = await caller(t(), 'admin');
    const target = await buildMember(t());
    const session = await loginAs(t().app, target.user.username, target.password);
    const token = await buildApiToken(t(), target.user);

    const reset = await admin.call('POST', `/api/v1/people/${target.user.id}/password-reset`, { resetToken: true });
    expect(reset.statusCode).toBe(200);
    expect(reset.headers['cache-control']).toBe('no-store');
    const { temporaryPassword } = reset.json();
    expect(temporaryPassword).toMatch(/^[0-9A-Z]{20}$/);

    expect((await session.get('/api/v1/me')).statusCode).toBe(401);
    const byToken = await t().app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(byToken.statusCode).toBe(401);
    expect((await postLogin(t().app, target.user.username, target.password)).statusCode).toBe(401);
    const login = await postLogin(t().app, target.user.username, temporaryPassword);
    expect(login.statusCode).toBe(200);
    expect(login.json().mustChangePassword).toBe(true);

    const events = await auditEvents(t(), target.user.id, 'user.password_reset');
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]?.details ?? '{}')).toMatchObject({ sessionsEnded: 1, tokenRevoked: true });
    expect(events[0]?.details).not.toContain(temporaryPassword);
    expect(t().logs.join('')).not.toContain(temporaryPassword);
  });

  it('keeps the API token on a reset without resetToken', async () => {
    const owner = await caller(t());
    const target = await buildMember(t());
    await buildApiToken(t(), target.user);
    expect((await owner.call('POST', `/api/v1/people/${target.user.id}/password-reset`, {})).statusCode).toBe(200);
    const row = await t()
      .services.database.db.selectFrom('api_tokens')
      .select('user_id')
      .where('user_id', '=', target.user.id)
      .executeTakeFirst();
    expect(row).toBeDefined();
  });

  it('unlocks a locked account', async () => {
    const owner = await caller(t());
    const target = await buildMember(t());
    for (let i = 0; i < 6; i++)
      await postLogin(t().app, target.user.username, 'wrong password, really', { 'x-forwarded-for': `10.9.0.${i}` });
    expect((await owner.call('GET', `/api/v1/people/${target.user.id}`)).json().locked).toBe(true);
    const unlocked = await owner.call('POST', `/api/v1/people/${target.user.id}/unlock`);
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.json().locked).toBe(false);
    t().clock.advanceMinutes(2); // a fresh per-IP login window
    expect((await postLogin(t().app, target.user.username, target.password)).statusCode).toBe(200);
    expect((await auditEvents(t(), target.user.id, 'user.unlocked')).map((e) => e.outcome)).toEqual(['success']);
  });

  it("ends someone's sessions", async () => {
    const owner = await caller(t());
    const target = await buildMember(t());
    const one = await loginAs(t().app, target.user.username, target.password);
    const two = await loginAs(t().app, target.user.username, target.password);
    const ended = await owner.call('DELETE', `/api/v1/people/${target.user.id}/sessions`);
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toEqual({ sessionsEnded: 2 });
    expect((await one.get('/api/v1/me')).statusCode).toBe(401);
    expect((await two.get('/api/v1/me')).statusCode).toBe(401);
    expect(await auditEvents(t(), target.user.id, 'session.revoked')).toHaveLength(1);
  });

  it('refuses every people endpoint to a Member', async () => {
    const member = await caller(t(), 'member');
    const other = await buildMember(t());
    const id = other.user.id;
    const calls: Array<[InjectOptions['method'], string, object?]> = [
      ['GET', '/api/v1/people'],
      ['GET', '/api/v1/people/export'],
      ['POST', '/api/v1/people', { accounts: [{ email: 'm@example.com' }] }],
      ['GET', `/api/v1/people/${id}`],
      ['PUT', `/api/v1/people/${id}/role`, { role: 'member' }],
      ['PUT', `/api/v1/people/${id}/email`, { email: 'x@example.com' }],
      ['POST', `/api/v1/people/${id}/password-reset`, {}],
      ['POST', `/api/v1/people/${id}/unlock`],
      ['DELETE', `/api/v1/people/${id}/sessions`],
      ['DELETE', `/api/v1/people/${id}`],
    ];
    for (const [method, url, body] of calls) {
      const response = await member.call(method, url, body);
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().code).toBe('forbidden');
    }
  });
});

describeEachDatabase('removing people (R4, R5)', (dialect) => {
  const t = useTestApp(dialect);

  it('refuses while the person owns projects, listing them, and succeeds after a transfer', async () => {
    const owner = await caller(t());
    const target = await buildMember(t());
    const project = await buildProject(t(), target.user, { name: 'Owned Thing' });
    const refused = await owner.call('DELETE', `/api/v1/people/${target.user.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'user_owns_projects', projects: [{ id: project.id, name: 'Owned Thing' }] });
    expect((await owner.call('GET', `/api/v1/people/${target.user.id}`)).json().ownedProjects).toEqual([
      { id: project.id, name: 'Owned Thing' },
    ]);

    const transfer = await owner.call('PUT', `/api/v1/projects/${project.id}/owner`, { userId: owner.user.id });
    expect(transfer.statusCode).toBe(200);
    expect((await owner.call('DELETE', `/api/v1/people/${target.user.id}`)).statusCode).toBe(204);
  });

  it("ends the removed person's cookie, API token and password at the next request, and frees name and email", async () => {
    const owner = await caller(t());
    const target = await buildUser(t(), { username: 'leaving', email: 'leaving@example.com' });
    const session = await loginAs(t().app, 'leaving', target.password);
    const token = await buildApiToken(t(), target.user);
    const project = await buildProject(t(), owner.user);
    const now = t().services.now().toISOString();
    const db = t().services.database.db;
    await db
      .insertInto('project_access')
      .values({ project_id: project.id, subject_type: 'user', subject_id: target.user.id, role: 'reader', created_at: now })
      .execute();
    await db
      .insertInto('groups')
      .values({ id: 'g-leave', name: 'leavers', name_canonical: 'leavers', description: '', role: null, created_at: now })
      .execute();
    await db.insertInto('group_members').values({ group_id: 'g-leave', user_id: target.user.id, created_at: now }).execute();
    expect((await session.get('/api/v1/me')).statusCode).toBe(200);

    expect((await owner.call('DELETE', `/api/v1/people/${target.user.id}`)).statusCode).toBe(204);

    expect((await session.get('/api/v1/me')).statusCode).toBe(401);
    const byToken = await t().app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(byToken.statusCode).toBe(401);
    expect((await postLogin(t().app, 'leaving', target.password)).statusCode).toBe(401);
    expect(await db.selectFrom('project_access').selectAll().where('subject_id', '=', target.user.id).execute()).toEqual([]);
    expect(await db.selectFrom('group_members').selectAll().where('user_id', '=', target.user.id).execute()).toEqual([]);
    expect(await db.selectFrom('sessions').selectAll().where('user_id', '=', target.user.id).execute()).toEqual([]);

    const events = await auditEvents(t(), target.user.id, 'user.removed');
    expect(events).toHaveLength(1);
    expect(events[0]?.target_name).toBe('leaving');
    expect(JSON.parse(events[0]?.details ?? '{}')).toMatchObject({
      username: 'leaving',
      projectAccessRemoved: 1,
      groupMembershipsRemoved: 1,
      tokenRevoked: true,
    });

    const removed = (await owner.call('GET', `/api/v1/people?status=removed&query=leaving`)).json().items;
    expect(removed).toEqual([
      expect.objectContaining({ id: target.user.id, status: 'removed', abilities: { edit: false, remove: false } }),
    ]);
    expect((await owner.call('PUT', `/api/v1/people/${target.user.id}/role`, { role: 'admin' })).statusCode).toBe(409);

    const again = await owner.call('POST', '/api/v1/people', { accounts: [{ email: 'LEAVING@example.com', username: 'leaving' }] });
    expect(again.json().results[0]).toMatchObject({ status: 'created', user: { username: 'leaving' } });
    expect(again.json().results[0].user.id).not.toBe(target.user.id);
  });

  it('lets an Admin remove a Member but not an Admin, and nobody removes themselves unless an Owner', async () => {
    const admin = await caller(t(), 'admin');
    const member = await buildMember(t());
    const otherAdmin = await buildAdmin(t());
    expect((await admin.call('DELETE', `/api/v1/people/${otherAdmin.user.id}`)).statusCode).toBe(403);
    expect((await admin.call('DELETE', `/api/v1/people/${admin.user.id}`)).statusCode).toBe(403);
    expect((await admin.call('DELETE', `/api/v1/people/${member.user.id}`)).statusCode).toBe(204);
    const owner = await caller(t());
    expect((await owner.call('DELETE', `/api/v1/people/${owner.user.id}`)).statusCode).toBe(204);
  });
});

describeEachDatabase('exporting people', (dialect) => {
  const t = useTestApp(dialect);

  it('streams a CSV with a header and every person', async () => {
    const owner = await caller(t());
    for (let i = 0; i < 5; i++) await buildUser(t(), { username: `export-${i}`, email: `=export-${i}@example.com` });
    const response = await owner.call('GET', '/api/v1/people/export');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="roster-people-.*\.csv"/);
    const lines = response.body.trim().split('\n');
    expect(lines[0]).toBe('username,email,role,groups,status,created,last seen');
    const all = await t().services.database.db.selectFrom('users').select('username').where('status', '=', 'active').execute();
    expect(
      lines
        .slice(1)
        .map((line) => line.split(',')[0])
        .sort(),
    ).toEqual(all.map((u) => u.username).sort());
    // Cells that a spreadsheet would run as formulas are neutralised.
    expect(lines.find((line) => line.startsWith('export-0,'))).toContain("'=export-0@example.com");
  });

  it('neutralises a group name that starts with a formula character (full-width forms are folded to ASCII on input)', async () => {
    const owner = await caller(t());
    const person = await buildUser(t(), { username: 'export-fullwidth' });
    const group = await owner.call('POST', '/api/v1/groups', { name: '＋cmd|calc' });
    expect(group.statusCode).toBe(201);
    const added = await owner.call('PUT', `/api/v1/groups/${group.json().id}/members/${person.user.id}`);
    expect(added.statusCode).toBeLessThan(300);
    const response = await owner.call('GET', '/api/v1/people/export');
    const line = response.body.split('\n').find((row) => row.startsWith('export-fullwidth,'));
    expect(line).toContain(",'+cmd|calc,");
  });

  it('reads in batches, so more people than one batch all arrive once', async () => {
    const owner = await caller(t());
    const db = t().services.database.db;
    const now = t().services.now().toISOString();
    const rows = Array.from({ length: 1100 }, (_, i) => ({
      id: crypto.randomUUID(),
      username: `bulk-${String(i).padStart(4, '0')}`,
      email: `bulk-${i}@example.com`,
      email_canonical: `bulk-${i}@example.com`,
      role: 'member' as const,
      status: 'active' as const,
      must_change_password: 0 as const,
      created_at: now,
      last_seen_at: null,
      removed_at: null,
      last_failed_login_at: null,
      locked_until: null,
    }));
    for (let i = 0; i < rows.length; i += 100)
      await db
        .insertInto('users')
        .values(rows.slice(i, i + 100))
        .execute();
    const response = await owner.call('GET', '/api/v1/people/export?query=bulk-');
    const usernames = response.body
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    expect(usernames).toHaveLength(1100);
    expect(new Set(usernames).size).toBe(1100);
  });

  it('refuses Members', async () => {
    const member = await caller(t(), 'member');
    const response = await member.call('GET', '/api/v1/people/export');
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });
});
