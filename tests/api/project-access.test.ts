import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { buildAdmin, buildMember } from '../support/factories.js';
import { loginAs, type SessionClient } from '../support/session.js';
import { useTestApp } from '../support/test-app.js';

interface AccessList {
  items: Array<{
    subjectType: string;
    subject: { id: string; name: string; email?: string | null };
    role: string;
    implicit: boolean;
    source: string;
    removable: boolean;
  }>;
  abilities: { manage: boolean };
}

describeEachDatabase('project access', (dialect) => {
  const t = useTestApp(dialect);

  async function createProject(client: SessionClient, name: string): Promise<string> {
    const response = await client.post('/api/v1/projects', { name });
    expect(response.statusCode, response.body).toBe(201);
    return (response.json() as { id: string }).id;
  }

  it('gives a user a project role, changes it and takes it away, one audit event per change', async () => {
    const owner = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const projectId = await createProject(owner, 'access-api');
    const member = await buildMember(t());
    const memberClient = await loginAs(t().app, member.user.username, member.password);
    expect((await memberClient.get(`/api/v1/projects/${projectId}`)).statusCode).toBe(404);

    const put = await owner.put(`/api/v1/projects/${projectId}/access/user/${member.user.id}`, { role: 'reader' });
    expect(put.json()).toEqual({ role: 'reader', changed: true });
    expect((await memberClient.get(`/api/v1/projects/${projectId}`)).statusCode).toBe(200);
    const list = (await owner.get(`/api/v1/projects/${projectId}/access`)).json() as AccessList;
    expect(list.items.find((e) => e.subject.id === member.user.id)).toMatchObject({ role: 'reader', implicit: false, removable: true });
    expect(list.items.find((e) => e.subject.id === t().owner.user.id)).toMatchObject({ role: 'admin', implicit: true, removable: false });

    expect((await owner.put(`/api/v1/projects/${projectId}/access/user/${member.user.id}`, { role: 'contributor' })).json()).toEqual({
      role: 'contributor',
      changed: true,
    });
    expect((await owner.put(`/api/v1/projects/${projectId}/access/user/${member.user.id}`, { role: 'contributor' })).json()).toEqual({
      role: 'contributor',
      changed: false,
    });
    expect((await owner.delete(`/api/v1/projects/${projectId}/access/user/${member.user.id}`)).json()).toEqual({
      role: null,
      changed: true,
    });
    expect((await memberClient.get(`/api/v1/projects/${projectId}`)).statusCode).toBe(404);

    const events = await t()
      .services.database.db.selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'project.access_changed')
      .where('target_id', '=', projectId)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => JSON.parse(e.details) as { from: string | null; to: string | null }).map((d) => [d.from, d.to])).toEqual([
      [null, 'reader'],
      ['reader', 'contributor'],
      ['contributor', null],
    ]);
  });

  it('lets a group role reach its members and leave with them', async () => {
    const owner = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const projectId = await createProject(owner, 'group-reach');
    const group = (await owner.post('/api/v1/groups', { name: 'reachers' })).json() as { id: string };
    const member = await buildMember(t());
    const memberClient = await loginAs(t().app, member.user.username, member.password);
    await owner.put(`/api/v1/projects/${projectId}/access/group/${group.id}`, { role: 'contributor' });
    expect((await memberClient.get(`/api/v1/projects/${projectId}`)).statusCode).toBe(404);
    await owner.put(`/api/v1/groups/${group.id}/members/${member.user.id}`);
    expect((await memberClient.get(`/api/v1/projects/${projectId}`)).statusCode).toBe(200);
    expect((await memberClient.post('/api/v1/authorize', { permission: 'project.job.rerun', projectId })).json().allowed).toBe(true);
    await owner.delete(`/api/v1/groups/${group.id}/members/${member.user.id}`);
    expect((await memberClient.get(`/api/v1/projects/${projectId}`)).statusCode).toBe(404);
  });

  it('needs project.access.manage to change access and hides the project from non-members', async () => {
    const owner = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const projectId = await createProject(owner, 'guarded');
    const reader = await buildMember(t());
    const outsider = await buildMember(t());
    await owner.put(`/api/v1/projects/${projectId}/access/user/${reader.user.id}`, { role: 'reader' });
    const readerClient = await loginAs(t().app, reader.user.username, reader.password);
    const list = await readerClient.get(`/api/v1/projects/${projectId}/access`);
    expect(list.statusCode).toBe(200);
    expect((list.json() as AccessList).abilities.manage).toBe(false);
    expect((await readerClient.put(`/api/v1/projects/${projectId}/access/user/${outsider.user.id}`, { role: 'reader' })).statusCode).toBe(
      403,
    );
    const outsiderClient = await loginAs(t().app, outsider.user.username, outsider.password);
    expect((await outsiderClient.get(`/api/v1/projects/${projectId}/access`)).statusCode).toBe(404);
    expect((await outsiderClient.put(`/api/v1/projects/${projectId}/access/user/${outsider.user.id}`, { role: 'admin' })).statusCode).toBe(
      404,
    );
  });

  it('lets a project Admin (by ownership) grant roles, and an instance Admin manage any project', async () => {
    const creator = await buildMember(t());
    const creatorClient = await loginAs(t().app, creator.user.username, creator.password);
    const projectId = await createProject(creatorClient, 'members-own');
    const friend = await buildMember(t());
    expect((await creatorClient.put(`/api/v1/projects/${projectId}/access/user/${friend.user.id}`, { role: 'admin' })).statusCode).toBe(
      200,
    );
    const admin = await buildAdmin(t());
    const adminClient = await loginAs(t().app, admin.user.username, admin.password);
    expect((await adminClient.put(`/api/v1/projects/${projectId}/access/user/${friend.user.id}`, { role: 'reader' })).statusCode).toBe(200);
    expect((await adminClient.put(`/api/v1/projects/${projectId}/access/user/${friend.user.id}`, { role: 'owner' })).json().code).toBe(
      'validation_failed',
    );
    expect((await adminClient.put(`/api/v1/projects/${projectId}/access/user/nobody`, { role: 'reader' })).statusCode).toBe(404);
  });

  // docs/product/security-settings.md#privacy-between-users
  describe('who sees what of the people with access', () => {
    /** A project owned by a Member, with a Reader, a Contributor, a group, and an instance Admin somewhere on the server. */
    async function populatedProject() {
      const owner = await loginAs(t().app, t().owner.user.username, t().owner.password);
      const creator = await buildMember(t());
      const creatorClient = await loginAs(t().app, creator.user.username, creator.password);
      const projectId = await createProject(creatorClient, `privacy-${Date.now()}-${Math.random()}`);
      const reader = await buildMember(t());
      const contributor = await buildMember(t());
      const admin = await buildAdmin(t());
      const group = (await owner.post('/api/v1/groups', { name: `seers-${Date.now()}` })).json() as { id: string };
      for (const [who, role] of [
        [reader, 'reader'],
        [contributor, 'contributor'],
      ] as const) {
        expect((await owner.put(`/api/v1/projects/${projectId}/access/user/${who.user.id}`, { role })).statusCode).toBe(200);
      }
      expect((await owner.put(`/api/v1/projects/${projectId}/access/group/${group.id}`, { role: 'reader' })).statusCode).toBe(200);
      await t()
        .services.database.db.updateTable('users')
        .set({ last_seen_at: '2031-02-03T04:05:06.000Z' })
        .where('id', 'in', [creator.user.id, reader.user.id, contributor.user.id, admin.user.id])
        .execute();
      return { projectId, creator, reader, contributor, admin, group };
    }

    async function readAll(client: SessionClient, projectId: string, limit: number) {
      const bodies: string[] = [];
      const items: AccessList['items'] = [];
      let cursor: string | null = null;
      do {
        const response = await client.get(`/api/v1/projects/${projectId}/access?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(response.statusCode, response.body).toBe(200);
        bodies.push(response.body);
        const page = response.json() as AccessList & { nextCursor: string | null };
        expect(page.items.length).toBeLessThanOrEqual(limit);
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return { text: bodies.join('\n'), items };
    }

    it('gives a project Reader ids and usernames only: no email, instance role, status or last seen of anyone', async () => {
      const { projectId, creator, reader, contributor, admin, group } = await populatedProject();
      const client = await loginAs(t().app, reader.user.username, reader.password);
      const { text, items } = await readAll(client, projectId, 2);
      for (const person of [creator, contributor, admin, t().owner]) expect(text).not.toContain(person.user.email);
      expect(text).not.toMatch(/"email"|"lastSeen|"status"|2031-02-03|instance (Owner|Admin)/);
      for (const entry of items) expect(Object.keys(entry.subject).sort()).toEqual(['id', 'name']);
      // Who has access is still there: grants, the group and the project owner.
      expect(items.map((e) => [e.subject.id, e.source])).toEqual([
        ...[reader, contributor].sort((a, b) => (a.user.username < b.user.username ? -1 : 1)).map((p) => [p.user.id, 'granted']),
        [group.id, 'granted to group'],
        [creator.user.id, 'project owner'],
      ]);
      // Instance Admins are not named to someone who may not know instance roles.
      expect(items.some((e) => e.subject.id === admin.user.id)).toBe(false);
    });

    it('gives a project owner without organization.people.view the same reduced view', async () => {
      const { projectId, creator, reader } = await populatedProject();
      const client = await loginAs(t().app, creator.user.username, creator.password);
      const { text, items } = await readAll(client, projectId, 50);
      expect(text).not.toContain(reader.user.email);
      expect(text).not.toMatch(/"email"|instance (Owner|Admin)/);
      expect(items.find((e) => e.subject.id === reader.user.id)).toMatchObject({ removable: true });
    });

    it('gives an Admin emails and the implicit instance Owners and Admins, page after page', async () => {
      const { projectId, reader, admin, group } = await populatedProject();
      const client = await loginAs(t().app, admin.user.username, admin.password);
      const whole = await readAll(client, projectId, 500);
      const paged = await readAll(client, projectId, 2);
      expect(paged.items).toEqual(whole.items);
      expect(new Set(paged.items.map((e) => `${e.subjectType}:${e.subject.id}:${e.source}`)).size).toBe(paged.items.length);
      expect(whole.items.find((e) => e.subject.id === reader.user.id)?.subject).toEqual({
        id: reader.user.id,
        name: reader.user.username,
        email: reader.user.email,
      });
      expect(whole.items.find((e) => e.subject.id === group.id)?.subject).toEqual(expect.objectContaining({ email: null }));
      expect(whole.items.find((e) => e.subject.id === admin.user.id)).toMatchObject({ source: 'instance Admin', implicit: true });
      expect(whole.items.find((e) => e.subject.id === t().owner.user.id)).toMatchObject({ source: 'instance Owner', implicit: true });
      const forged = await client.get(`/api/v1/projects/${projectId}/access?cursor=WzEsMl0`);
      expect(forged.statusCode).toBe(400);
    });
  });
});
