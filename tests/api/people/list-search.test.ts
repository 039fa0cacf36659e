import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildMember, buildUser } from '../../support/factories.js';
import { useTestApp } from '../../support/test-app.js';
import { caller } from './support.js';

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

describeEachDatabase('a People page in one read', (dialect) => {
  const t = useTestApp(dialect);

  // Full pages in username order (no term, or a username prefix) come from one prepared read that brings each row's
  // groups, its token's expiry and the Owner count (storage/queries/user-pages.ts, readListedPage); every other page
  // reads them afterwards. Nobody here has 2FA, so `mfa=disabled` lists the same people the other way: both must agree
  // on every field, groups in name order, a service account's expiry and R1's abilities for the only Owner.
  it('answers exactly what the page read the other way answers', async () => {
    const owner = await caller(t());
    const now = t().services.now().toISOString();
    const members = [];
    for (const name of ['onepage-a', 'onepage-b', 'onepage-c', 'onepage-d']) members.push(await buildMember(t(), { username: name }));
    for (const [id, name] of [
      ['g-zeta', 'zeta-team'],
      ['g-alpha', 'alpha-team'],
    ] as const) {
      await t()
        .services.database.db.insertInto('groups')
        .values({ id, name, name_canonical: name, description: '', role: null, created_at: now })
        .execute();
      await t()
        .services.database.db.insertInto('group_members')
        .values({ group_id: id, user_id: members[1]?.user.id ?? '', created_at: now })
        .execute();
    }
    const sa = await owner.call('POST', '/api/v1/service-accounts', { name: 'onepage-sa', description: '', role: 'member' });
    expect(sa.statusCode).toBe(201);

    const page = async (query: string) => {
      const answer = await owner.call('GET', `/api/v1/people?${query}`);
      expect(answer.statusCode).toBe(200);
      return answer.json() as { items: Array<Record<string, unknown>>; nextCursor: string | null };
    };
    const same = async (query: string) => {
      const fast = await page(query);
      const other = await page(`${query}&mfa=disabled`);
      expect(fast.items).toEqual(other.items);
      return fast;
    };

    // A full prefix page and the next one (the cursor reads the same way).
    const first = await same('query=onepage-&limit=2&type=all');
    expect(first.items.map((item) => item.username)).toEqual(['onepage-a', 'onepage-b']);
    expect(first.items[1]?.groups).toEqual([
      { id: 'g-alpha', name: 'alpha-team' },
      { id: 'g-zeta', name: 'zeta-team' },
    ]);
    expect(first.nextCursor).not.toBeNull();
    const second = await same(`query=onepage-&limit=2&type=all&cursor=${encodeURIComponent(first.nextCursor ?? '')}`);
    expect(second.items.map((item) => item.username)).toEqual(['onepage-c', 'onepage-d']);
    const third = await same(`query=onepage-&limit=2&type=all&cursor=${encodeURIComponent(second.nextCursor ?? '')}`);
    expect(third.items).toEqual([
      expect.objectContaining({ username: 'onepage-sa', type: 'service_account', tokenExpiresAt: expect.any(String) }),
    ]);

    // Pages without a term, through the whole directory, Owners included (their abilities need the Owner count, R1).
    let cursor: string | null = null;
    const seen: Array<Record<string, unknown>> = [];
    do {
      const next = await same(`limit=3&type=all${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...next.items);
      cursor = next.nextCursor;
    } while (cursor);
    expect(seen.some((item) => item.role === 'owner' && item.status === 'active')).toBe(true);
    expect(seen.filter((item) => String(item.username).startsWith('onepage-'))).toHaveLength(5);
  });
});
