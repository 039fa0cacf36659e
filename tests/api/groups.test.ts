import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { buildAdmin, buildMember, buildOwner } from '../support/factories.js';
import { loginAs, type SessionClient } from '../support/session.js';
import { useTestApp } from '../support/test-app.js';

describeEachDatabase('groups', (dialect) => {
  const t = useTestApp(dialect);
  const ownerClient = () => loginAs(t().app, t().owner.user.username, t().owner.password);
  const auditCount = async (action: string) =>
    (await t().services.database.db.selectFrom('audit_events').select('id').where('action', '=', action).execute()).length;

  it('creates, renames, lists and deletes groups, one audit event each', async () => {
    const client = await ownerClient();
    const created = await client.post('/api/v1/groups', { name: 'Backend', description: 'API people' });
    expect(created.statusCode).toBe(201);
    const group = created.json() as { id: string };
    expect(created.json()).toMatchObject({ name: 'Backend', role: null, memberCount: 0 });
    expect((await client.post('/api/v1/groups', { name: 'backend' })).json().code).toBe('name_taken');
    const renamed = await client.patch(`/api/v1/groups/${group.id}`, { name: 'Backend team' });
    expect(renamed.json()).toMatchObject({ name: 'Backend team' });
    const list = await client.get('/api/v1/groups?query=team');
    expect((list.json() as { items: Array<{ id: string }> }).items.map((g) => g.id)).toContain(group.id);
    expect((await client.delete(`/api/v1/groups/${group.id}`)).statusCode).toBe(204);
    expect((await client.get(`/api/v1/groups/${group.id}`)).statusCode).toBe(404);
    expect(await auditCount('group.created')).toBeGreaterThanOrEqual(1);
    expect(await auditCount('group.updated')).toBeGreaterThanOrEqual(1);
    expect(await auditCount('group.deleted')).toBeGreaterThanOrEqual(1);
  });

  it('refuses an Owner role for a group and unknown fields', async () => {
    const client = await ownerClient();
    expect((await client.post('/api/v1/groups', { name: 'Owners', role: 'owner' })).json().code).toBe('validation_failed');
    expect((await client.post('/api/v1/groups', { name: 'x-team', color: 'red' })).json().code).toBe('validation_failed');
  });

  it('makes members of an Admin group Admins, and R2 then treats them as Admins', async () => {
    const client = await ownerClient();
    const ops = (await client.post('/api/v1/groups', { name: 'Ops', role: 'admin' })).json() as { id: string };
    const member = await buildMember(t());
    expect((await client.put(`/api/v1/groups/${ops.id}/members/${member.user.id}`)).json()).toEqual({ changed: true });

    const memberClient = await loginAs(t().app, member.user.username, member.password);
    const me = (await memberClient.get('/api/v1/me')).json() as {
      effectiveRole: string;
      user: { role: string };
      abilities: { viewPeople: boolean };
    };
    expect(me).toMatchObject({ effectiveRole: 'admin', user: { role: 'member' }, abilities: { viewPeople: true } });

    // An Admin cannot take that role away (it would act on an Admin), nor delete the group.
    const admin = await buildAdmin(t());
    const adminClient = await loginAs(t().app, admin.user.username, admin.password);
    const removal = await adminClient.delete(`/api/v1/groups/${ops.id}/members/${member.user.id}`);
    expect(removal.statusCode).toBe(403);
    expect(removal.json().detail).toContain(member.user.username);
    expect((await adminClient.delete(`/api/v1/groups/${ops.id}`)).statusCode).toBe(403);

    // The Owner can; the demotion applies to the very next request.
    expect((await client.delete(`/api/v1/groups/${ops.id}/members/${member.user.id}`)).json()).toEqual({ changed: true });
    expect(((await memberClient.get('/api/v1/me')).json() as { effectiveRole: string }).effectiveRole).toBe('member');
  });

  it('lets an Admin put Members in an Admin group, but not demote the Admins it made', async () => {
    const client = await ownerClient();
    const group = (await client.post('/api/v1/groups', { name: 'Helpers', role: 'admin' })).json() as { id: string };
    const admin = await buildAdmin(t());
    const adminClient = await loginAs(t().app, admin.user.username, admin.password);
    const member = await buildMember(t());
    expect((await adminClient.put(`/api/v1/groups/${group.id}/members/${member.user.id}`)).statusCode).toBe(200);
    const owner = await buildOwner(t());
    // Joining an Admin group does not move an Owner's role, so R2 has nothing to refuse.
    expect((await adminClient.put(`/api/v1/groups/${group.id}/members/${owner.user.id}`)).statusCode).toBe(200);
    const plain = (await client.post('/api/v1/groups', { name: 'Plain' })).json() as { id: string };
    expect((await adminClient.patch(`/api/v1/groups/${plain.id}`, { role: 'admin' })).statusCode).toBe(200);
    expect((await adminClient.patch(`/api/v1/groups/${group.id}`, { role: null })).statusCode).toBe(403);
  });

  it('lets Members see groups but not change them', async () => {
    const member = await buildMember(t());
    const client = await loginAs(t().app, member.user.username, member.password);
    expect((await client.get('/api/v1/groups')).statusCode).toBe(200);
    const refused = await client.post('/api/v1/groups', { name: 'Rebels' });
    expect(refused.statusCode).toBe(403);
    const denied = await t()
      .services.database.db.selectFrom('audit_events')
      .select('outcome')
      .where('action', '=', 'group.created')
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied.length).toBeGreaterThanOrEqual(1);
  });

  it('pages through groups with a cursor', async () => {
    const client = await ownerClient();
    for (let i = 0; i < 5; i++) await client.post('/api/v1/groups', { name: `page-${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await client.get(`/api/v1/groups?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json() as {
        items: Array<{ name: string }>;
        nextCursor: string | null;
      };
      seen.push(...page.items.map((g) => g.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.filter((name) => name.startsWith('page-'))).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    expect(new Set(seen).size).toBe(seen.length);
  });

  // docs/product/security-settings.md#privacy-between-users
  describe('who sees what of the members', () => {
    async function groupWithMembers(count: number) {
      const client = await ownerClient();
      const group = (await client.post('/api/v1/groups', { name: `privacy-${count}-${Date.now()}` })).json() as { id: string };
      const members = [];
      for (let i = 0; i < count; i++) {
        const member = await buildMember(t());
        // Something to leak: a last-seen time and an address that appears nowhere else.
        await t()
          .services.database.db.updateTable('users')
          .set({ last_seen_at: '2031-02-03T04:05:06.000Z' })
          .where('id', '=', member.user.id)
          .execute();
        expect((await client.put(`/api/v1/groups/${group.id}/members/${member.user.id}`)).statusCode).toBe(200);
        members.push(member);
      }
      return { group, members };
    }

    /** Every page of the members list, and the group itself, as the caller reads them. */
    async function readAll(client: SessionClient, groupId: string, limit: number) {
      const bodies: string[] = [(await client.get(`/api/v1/groups/${groupId}`)).body];
      const items: Array<Record<string, unknown>> = [];
      let cursor: string | null = null;
      do {
        const response = await client.get(`/api/v1/groups/${groupId}/members?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(response.statusCode, response.body).toBe(200);
        bodies.push(response.body);
        const page = response.json() as { items: Array<Record<string, unknown>>; nextCursor: string | null };
        expect(page.items.length).toBeLessThanOrEqual(limit);
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return { text: bodies.join('\n'), items };
    }

    it('gives a Member the id and username of each member, never email, role, status or last seen', async () => {
      const { group, members } = await groupWithMembers(3);
      const reader = await buildMember(t());
      const client = await loginAs(t().app, reader.user.username, reader.password);
      const detail = await client.get(`/api/v1/groups/${group.id}`);
      for (const member of members) expect(detail.body).not.toContain(member.user.email);
      const { text, items } = await readAll(client, group.id, 2);
      expect(items).toEqual(
        [...members]
          .sort((a, b) => (a.user.username < b.user.username ? -1 : 1))
          .map((m) => ({ id: m.user.id, username: m.user.username, type: 'person' })),
      );
      for (const member of members) expect(text).not.toContain(member.user.email);
      // The group's own role is public; nothing about the people in it is.
      expect(text).not.toMatch(/"email"|"lastSeen|"status"|"addedAt"|2031-02-03/);
    });

    it('gives an Admin the email and own instance role of each member, on every page', async () => {
      const { group, members } = await groupWithMembers(3);
      const admin = await buildAdmin(t());
      const client = await loginAs(t().app, admin.user.username, admin.password);
      const { items } = await readAll(client, group.id, 2);
      expect(items).toHaveLength(3);
      for (const member of members) {
        expect(items).toContainEqual({
          id: member.user.id,
          username: member.user.username,
          email: member.user.email,
          type: 'person',
          role: 'member',
          addedAt: expect.any(String),
        });
      }
    });

    it('answers 404 for the members of a group that does not exist and 400 for a forged cursor', async () => {
      const client = await ownerClient();
      expect((await client.get('/api/v1/groups/nope/members')).statusCode).toBe(404);
      const { group } = await groupWithMembers(1);
      const forged = await client.get(`/api/v1/groups/${group.id}/members?cursor=not-a-cursor`);
      expect(forged.statusCode).toBe(400);
      expect(forged.json().code).toBe('validation_failed');
    });
  });
});
