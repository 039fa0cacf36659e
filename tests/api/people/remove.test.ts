import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildAdmin, buildApiToken, buildMember, buildProject, buildUser } from '../../support/factories.js';
import { loginAs, postLogin } from '../../support/session.js';
import { useTestApp } from '../../support/test-app.js';
import { auditEvents, caller } from './support.js';

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
