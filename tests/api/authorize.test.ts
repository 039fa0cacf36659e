import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { ProjectRole } from '../../src/shared/permissions.js';
import { describeEachDatabase } from '../support/databases.js';
import { buildMember } from '../support/factories.js';
import { loginAs } from '../support/session.js';
import { type TestApp, useTestApp } from '../support/test-app.js';

async function insertProject(t: TestApp, name: string, ownerId: string): Promise<string> {
  const id = randomUUID();
  await t.services.database.db
    .insertInto('projects')
    .values({ id, name, name_canonical: name.toLowerCase(), description: '', owner_id: ownerId, created_at: new Date().toISOString() })
    .execute();
  return id;
}

async function grant(t: TestApp, projectId: string, subjectType: 'user' | 'group', subjectId: string, role: ProjectRole) {
  await t.services.database.db
    .insertInto('project_access')
    .values({ project_id: projectId, subject_type: subjectType, subject_id: subjectId, role, created_at: new Date().toISOString() })
    .execute();
}

describeEachDatabase('authorization API', (dialect) => {
  const t = useTestApp(dialect);

  it('answers for the caller with the path that granted the permission', async () => {
    const member = await buildMember(t());
    const client = await loginAs(t().app, member.user.username, member.password);
    const allowed = await client.post('/api/v1/authorize', { permission: 'organization.projects.create' });
    expect(allowed.json()).toEqual({ allowed: true, reason: 'direct role Member → organization.projects.create' });
    const refused = await client.post('/api/v1/authorize', { permission: 'organization.people.view' });
    expect(refused.json()).toMatchObject({ allowed: false });
    expect(refused.json().reason).toContain('Member');
  });

  it('refuses a Member with no access to a project without revealing whether it exists', async () => {
    const member = await buildMember(t());
    const projectId = await insertProject(t(), `secret-${randomUUID().slice(0, 6)}`, t().owner.user.id);
    const client = await loginAs(t().app, member.user.username, member.password);
    const existing = await client.post('/api/v1/authorize', { permission: 'project.view', projectId });
    const missing = await client.post('/api/v1/authorize', { permission: 'project.view', projectId: randomUUID() });
    expect(existing.json().allowed).toBe(false);
    expect(existing.json()).toEqual(missing.json());
  });

  it('explains a group → project role → permission path, and the grant leaves with the membership', async () => {
    const owner = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const member = await buildMember(t());
    const projectId = await insertProject(t(), 'api', t().owner.user.id);
    const group = (await owner.post('/api/v1/groups', { name: 'backend' })).json() as { id: string };
    await grant(t(), projectId, 'group', group.id, 'contributor');
    await owner.put(`/api/v1/groups/${group.id}/members/${member.user.id}`);

    const explained = await owner.get(
      `/api/v1/authorize/explain?userId=${member.user.id}&permission=project.job.rerun&projectId=${projectId}`,
    );
    expect(explained.statusCode).toBe(200);
    expect(explained.json()).toMatchObject({
      allowed: true,
      paths: ['group "backend" → project role Contributor on "api" → project.job.rerun'],
      subject: { username: member.user.username, effectiveRole: 'member' },
      project: { id: projectId, name: 'api' },
    });
    const denied = await owner.get(`/api/v1/authorize/explain?userId=${member.user.id}&permission=project.delete&projectId=${projectId}`);
    expect(denied.json()).toMatchObject({ allowed: false, paths: [] });
    expect(denied.json().reason).toContain('Contributor');

    await owner.delete(`/api/v1/groups/${group.id}/members/${member.user.id}`);
    const after = await owner.post('/api/v1/authorize', { permission: 'project.job.rerun', projectId, userId: member.user.id });
    expect(after.json().allowed).toBe(false);
  });

  it('lists paths to equal roles in a fixed order (own grant, then groups by name) and names the first as the reason', async () => {
    const owner = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const member = await buildMember(t());
    const projectId = await insertProject(t(), 'ops', t().owner.user.id);
    // Six groups created in reverse name order, with random ids: neither creation nor id order is name order.
    const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
    for (const name of [...names].reverse()) {
      const group = (await owner.post('/api/v1/groups', { name })).json() as { id: string };
      await grant(t(), projectId, 'group', group.id, name === 'echo' ? 'admin' : 'reader');
      await owner.put(`/api/v1/groups/${group.id}/members/${member.user.id}`);
    }
    await grant(t(), projectId, 'user', member.user.id, 'reader');
    const via = (group: string, role: string) => `group "${group}" → project role ${role} on "ops" → project.view`;

    const explained = await owner.get(`/api/v1/authorize/explain?userId=${member.user.id}&permission=project.view&projectId=${projectId}`);
    expect(explained.json().paths).toEqual([
      via('echo', 'Admin'),
      'project role Reader on "ops" → project.view',
      ...['alpha', 'bravo', 'charlie', 'delta', 'foxtrot'].map((name) => via(name, 'Reader')),
    ]);
    const asked = await owner.post('/api/v1/authorize', { permission: 'project.view', projectId, userId: member.user.id });
    expect(asked.json()).toEqual({ allowed: true, reason: via('echo', 'Admin') });
    const rerun = await owner.post('/api/v1/authorize', { permission: 'project.access.manage', projectId, userId: member.user.id });
    expect(rerun.json()).toEqual({ allowed: true, reason: 'group "echo" → project role Admin on "ops" → project.access.manage' });
    const client = await loginAs(t().app, member.user.username, member.password);
    const own = await client.post('/api/v1/authorize', { permission: 'project.view', projectId });
    expect(own.json().reason).toBe(via('echo', 'Admin'));
  });

  it('treats the project owner and instance Admins as implicit project Admins', async () => {
    const owner = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const creator = await buildMember(t());
    const projectId = await insertProject(t(), `own-${randomUUID().slice(0, 6)}`, creator.user.id);
    const asOwner = await owner.get(`/api/v1/authorize/explain?userId=${creator.user.id}&permission=project.delete&projectId=${projectId}`);
    expect(asOwner.json().paths[0]).toMatch(/^owner of project ".*" → project Admin → project.delete$/);
    const asInstanceOwner = await owner.get(`/api/v1/authorize/explain?permission=project.delete&projectId=${projectId}`);
    expect(asInstanceOwner.json().paths[0]).toMatch(/^direct role Owner → implicit project Admin on ".*" → project.delete$/);
  });

  it('needs organization.people.view to ask about someone else, and validates the permission name', async () => {
    const member = await buildMember(t());
    const client = await loginAs(t().app, member.user.username, member.password);
    const other = await client.post('/api/v1/authorize', { permission: 'organization.view', userId: t().owner.user.id });
    expect(other.statusCode).toBe(403);
    const unknown = await client.post('/api/v1/authorize', { permission: 'organization.fly' });
    expect(unknown.json().code).toBe('validation_failed');
    const noProject = await client.post('/api/v1/authorize', { permission: 'project.view' });
    expect(noProject.json().code).toBe('validation_failed');
  });

  it('applies a demotion on the very next request', async () => {
    const member = await buildMember(t());
    await t().services.database.db.updateTable('users').set({ role: 'admin' }).where('id', '=', member.user.id).execute();
    const client = await loginAs(t().app, member.user.username, member.password);
    expect((await client.post('/api/v1/authorize', { permission: 'organization.people.view' })).json().allowed).toBe(true);
    await t().services.database.db.updateTable('users').set({ role: 'member' }).where('id', '=', member.user.id).execute();
    expect((await client.post('/api/v1/authorize', { permission: 'organization.people.view' })).json().allowed).toBe(false);
  });

  it("lists a person's effective permissions with their paths, on the instance and on a project (GET /people/:id/permissions)", async () => {
    const owner = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const member = await buildMember(t());
    const other = await buildMember(t());
    const projectId = await insertProject(t(), 'listed', t().owner.user.id);
    const group = (await owner.post('/api/v1/groups', { name: 'listers' })).json() as { id: string };
    await grant(t(), projectId, 'group', group.id, 'reader');
    await owner.put(`/api/v1/groups/${group.id}/members/${member.user.id}`);
    type Listing = {
      subject: { username: string };
      project: unknown;
      items: Array<{ permission: string; allowed: boolean; paths: string[] }>;
    };
    const item = (listing: Listing, permission: string) => listing.items.find((entry) => entry.permission === permission);

    // Instance permissions only, without a project.
    const instance = (await owner.get(`/api/v1/people/${member.user.id}/permissions`)).json() as Listing;
    expect(instance.subject.username).toBe(member.user.username);
    expect(instance.project).toBeNull();
    expect(instance.items.every((entry) => entry.permission.startsWith('organization.'))).toBe(true);
    expect(item(instance, 'organization.projects.create')).toMatchObject({
      allowed: true,
      paths: ['direct role Member → organization.projects.create'],
    });
    expect(item(instance, 'organization.people.manage')).toMatchObject({ allowed: false, paths: [] });

    // With a project: its permissions too, through the group.
    const onProject = (await owner.get(`/api/v1/people/${member.user.id}/permissions?project=${projectId}`)).json() as Listing;
    expect(onProject.project).toEqual({ id: projectId, name: 'listed' });
    expect(item(onProject, 'project.view')).toMatchObject({
      allowed: true,
      paths: ['group "listers" → project role Reader on "listed" → project.view'],
    });
    expect(item(onProject, 'project.job.rerun')).toMatchObject({ allowed: false });

    // The person themselves may look; another Member may not; a project they cannot see is not found.
    const asMember = await loginAs(t().app, member.user.username, member.password);
    expect((await asMember.get(`/api/v1/people/${member.user.id}/permissions?project=${projectId}`)).statusCode).toBe(200);
    const asOther = await loginAs(t().app, other.user.username, other.password);
    const forbidden = await asOther.get(`/api/v1/people/${member.user.id}/permissions`);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().code).toBe('forbidden');
    const hidden = await asOther.get(`/api/v1/people/${other.user.id}/permissions?project=${projectId}`);
    expect(hidden.statusCode).toBe(404);
    expect((await owner.get(`/api/v1/people/${randomUUID()}/permissions`)).statusCode).toBe(404);
  });
});
