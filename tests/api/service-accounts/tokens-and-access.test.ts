import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildAdmin, buildApiToken } from '../../support/factories.js';
import { useTestApp } from '../../support/test-app.js';
import { auditEventsAbout, caller, createServiceAccount, saName, withToken } from './support.js';

describeEachDatabase('service accounts: tokens, expiry, concurrency, access and deletion', (dialect) => {
  const t = useTestApp(dialect);

  it('expires: the token answers 401 token_expired once its day comes, and reactivation does not revive it', async () => {
    const owner = await caller(t());
    const sa = await createServiceAccount(owner.call, { expiresInDays: 30 });
    const call = withToken(t(), sa.token);
    t().clock.advance(30 * 86_400_000 - 1000);
    expect((await call('GET', '/api/v1/me')).statusCode).toBe(200);
    t().clock.advance(1000);
    const expired = await call('GET', '/api/v1/me');
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('token_expired');
    await owner.call('POST', `/api/v1/service-accounts/${sa.id}/deactivate`);
    await owner.call('POST', `/api/v1/service-accounts/${sa.id}/reactivate`);
    expect((await call('GET', '/api/v1/me')).json().code).toBe('token_expired');
    const renewed = await owner.call('POST', `/api/v1/service-accounts/${sa.id}/token`, { expiresInDays: 365 });
    expect((await withToken(t(), renewed.json().token)('GET', '/api/v1/me')).statusCode).toBe(200);
  });

  it('records lastUsedAt and lastUsedIp at most once a minute', async () => {
    const owner = await caller(t());
    const sa = await createServiceAccount(owner.call);
    const token = async () => (await owner.call('GET', `/api/v1/service-accounts/${sa.id}`)).json().token;
    expect((await token()).lastUsedAt).toBeNull();
    await withToken(t(), sa.token)('GET', '/api/v1/me');
    const first = await token();
    expect(first.lastUsedAt).toBe(t().services.now().toISOString());
    expect(first.lastUsedIp).toBe('127.0.0.1');
    t().clock.advance(30_000);
    await withToken(t(), sa.token)('GET', '/api/v1/me');
    expect((await token()).lastUsedAt).toBe(first.lastUsedAt);
    t().clock.advance(31_000);
    await withToken(t(), sa.token)('GET', '/api/v1/me');
    expect((await token()).lastUsedAt).toBe(t().services.now().toISOString());
  });

  it('creates exactly one of several simultaneous service accounts with one name', async () => {
    const owner = await caller(t());
    const name = saName('race');
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => owner.call('POST', '/api/v1/service-accounts', { name, role: 'member' })),
    );
    const statuses = answers.map((answer) => answer.statusCode).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    expect(answers.filter((answer) => answer.statusCode === 409).every((answer) => answer.json().code === 'name_taken')).toBe(true);
    const rows = await t().services.database.db.selectFrom('users').select('id').where('username', '=', name).execute();
    expect(rows).toHaveLength(1);
  });

  it('answers simultaneous regenerations each with a token, of which exactly one (the last written) works', async () => {
    const owner = await caller(t());
    const sa = await createServiceAccount(owner.call);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => owner.call('POST', `/api/v1/service-accounts/${sa.id}/token`, { expiresInDays: 30 })),
    );
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 200]);
    const works = await Promise.all(
      [sa.token, ...answers.map((answer) => answer.json().token as string)].map(
        async (token) => (await withToken(t(), token)('GET', '/api/v1/me')).statusCode === 200,
      ),
    );
    expect(works.filter(Boolean)).toHaveLength(1);
    expect(works[0]).toBe(false);
    expect(await auditEventsAbout(t(), sa.id, 'service_account.token_regenerated')).toHaveLength(4);
  });

  it('is a subject like a person: project access, authorize and explain, for and about it; audited as service_account', async () => {
    const owner = await caller(t());
    const sa = await createServiceAccount(owner.call, { role: 'member' });
    const call = withToken(t(), sa.token);
    const project = (await owner.call('POST', '/api/v1/projects', { name: saName('proj') })).json() as { id: string; name: string };
    const before = await call('POST', '/api/v1/authorize', { permission: 'project.job.rerun', projectId: project.id });
    expect(before.json().allowed).toBe(false);
    expect((await owner.call('PUT', `/api/v1/projects/${project.id}/access/user/${sa.id}`, { role: 'contributor' })).statusCode).toBe(200);
    const after = await call('POST', '/api/v1/authorize', { permission: 'project.job.rerun', projectId: project.id });
    expect(after.json()).toEqual({ allowed: true, reason: `project role Contributor on "${project.name}" → project.job.rerun` });
    const explained = await owner.call(
      'GET',
      `/api/v1/authorize/explain?userId=${sa.id}&permission=project.job.rerun&projectId=${project.id}`,
    );
    expect(explained.json()).toMatchObject({ allowed: true, subject: { id: sa.id, type: 'service_account', effectiveRole: 'member' } });
    const aboutOwner = await owner.call('POST', '/api/v1/authorize', { permission: 'organization.people.manage', userId: sa.id });
    expect(aboutOwner.json().allowed).toBe(false);

    // What its token does is audited with the service account as the actor.
    const own = await call('POST', '/api/v1/projects', { name: saName('sa-proj') });
    expect(own.statusCode).toBe(201);
    expect(own.json().ownerId).toBe(sa.id);
    const [created] = await auditEventsAbout(t(), own.json().id, 'project.created');
    expect(created).toMatchObject({ actor_type: 'service_account', actor_id: sa.id, actor_name: sa.name });

    // Deactivated: explain about it says so.
    await owner.call('POST', `/api/v1/service-accounts/${sa.id}/deactivate`);
    const deactivated = await owner.call('POST', '/api/v1/authorize', { permission: 'project.view', projectId: project.id, userId: sa.id });
    expect(deactivated.json()).toEqual({ allowed: false, reason: 'The service account is deactivated.' });
  });

  it('deletes under R4 and R5: refused while it owns projects; then token, grants and memberships go and the name is free', async () => {
    const owner = await caller(t());
    const sa = await createServiceAccount(owner.call, { role: 'member' });
    const project = (await withToken(t(), sa.token)('POST', '/api/v1/projects', { name: saName('owned') })).json() as {
      id: string;
      name: string;
    };
    const other = (await owner.call('POST', '/api/v1/projects', { name: saName('granted') })).json() as { id: string };
    await owner.call('PUT', `/api/v1/projects/${other.id}/access/user/${sa.id}`, { role: 'reader' });
    const group = (await owner.call('POST', '/api/v1/groups', { name: saName('grp') })).json() as { id: string };
    await owner.call('PUT', `/api/v1/groups/${group.id}/members/${sa.id}`);
    // Listed as what it is where its access and memberships are listed, so the console can badge it.
    const access = (await owner.call('GET', `/api/v1/projects/${other.id}/access`)).json().items as Array<Record<string, unknown>>;
    expect(access.filter((entry) => entry.serviceAccount === true).map((entry) => (entry.subject as { id: string }).id)).toEqual([sa.id]);
    const members = (await owner.call('GET', `/api/v1/groups/${group.id}/members`)).json().items;
    expect(members).toEqual([expect.objectContaining({ id: sa.id, type: 'service_account' })]);

    const refused = await owner.call('DELETE', `/api/v1/service-accounts/${sa.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'user_owns_projects', projects: [{ id: project.id, name: project.name }] });
    expect((await owner.call('GET', `/api/v1/service-accounts/${sa.id}`)).json().ownedProjects).toEqual([
      { id: project.id, name: project.name },
    ]);
    await owner.call('PUT', `/api/v1/projects/${project.id}/owner`, { userId: owner.user.id });
    expect((await owner.call('DELETE', `/api/v1/service-accounts/${sa.id}`)).statusCode).toBe(204);

    const db = t().services.database.db;
    expect(await db.selectFrom('api_tokens').select('user_id').where('user_id', '=', sa.id).execute()).toEqual([]);
    expect(await db.selectFrom('project_access').select('subject_id').where('subject_id', '=', sa.id).execute()).toEqual([]);
    expect(await db.selectFrom('group_members').select('user_id').where('user_id', '=', sa.id).execute()).toEqual([]);
    expect((await withToken(t(), sa.token)('GET', '/api/v1/me')).statusCode).toBe(401);
    const again = await createServiceAccount(owner.call, { name: sa.name });
    expect(again.id).not.toBe(sa.id);
    const removed = (await owner.call('GET', '/api/v1/service-accounts?status=removed&limit=500')).json().items as Array<{ id: string }>;
    expect(removed.some((item) => item.id === sa.id)).toBe(true);
    expect((await owner.call('POST', `/api/v1/service-accounts/${sa.id}/reactivate`)).statusCode).toBe(409);
  });

  it("survives its creator's removal and demotion, which list it without blocking", async () => {
    const owner = await caller(t());
    const creator = await buildAdmin(t());
    const creatorToken = await buildApiToken(t(), creator.user);
    const sa = await createServiceAccount(withToken(t(), creatorToken), { role: 'member' });
    const detail = (await owner.call('GET', `/api/v1/people/${creator.user.id}`)).json();
    expect(detail.createdServiceAccounts).toEqual([{ id: sa.id, name: sa.name }]);
    const demoted = await owner.call('PUT', `/api/v1/people/${creator.user.id}/role`, { role: 'member' });
    expect(demoted.statusCode).toBe(200);
    expect(demoted.json().createdServiceAccounts).toEqual([{ id: sa.id, name: sa.name }]);
    expect((await owner.call('DELETE', `/api/v1/people/${creator.user.id}`)).statusCode).toBe(204);
    const [removal] = await auditEventsAbout(t(), creator.user.id, 'user.removed');
    expect(JSON.parse(removal?.details ?? '{}').createdServiceAccounts).toEqual([{ id: sa.id, name: sa.name }]);

    expect((await withToken(t(), sa.token)('GET', '/api/v1/me')).statusCode).toBe(200);
    const after = (await owner.call('GET', `/api/v1/service-accounts/${sa.id}`)).json();
    expect(after).toMatchObject({ status: 'active', createdBy: { id: creator.user.id, name: creator.user.username } });
  });
});
