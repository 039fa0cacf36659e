import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { generateApiToken } from '../../src/domain/tokens/api-token-format.js';
import { describeEachDatabase } from '../support/databases.js';
import { buildAdmin, buildApiToken, buildMember, buildProject, grantProjectRole } from '../support/factories.js';
import { readsDuring } from '../support/read-counter.js';
import { loginAs } from '../support/session.js';
import { useTestApp } from '../support/test-app.js';
import { caller, createServiceAccount, withToken } from './service-accounts/support.js';

/**
 * `POST /authorize` with an API token reads the token and the project in one statement (docs/decisions/0027): the
 * answers must be those of the two-read path (`GET /authorize/explain`), and every refusal of a bearer token must
 * still come first.
 */
describeEachDatabase('POST /authorize: the token and the project in one read', (dialect) => {
  const t = useTestApp(dialect);

  async function memberWithProject() {
    const member = await buildMember(t());
    const token = await buildApiToken(t(), member.user);
    const project = await buildProject(t(), t().owner.user, { name: `one-read-${randomUUID().slice(0, 8)}` });
    return { member, token, project, call: withToken(t(), token) };
  }

  it('answers a question about the caller on a project with one read of the database', async () => {
    const { member, project, call } = await memberWithProject();
    await grantProjectRole(t(), project, member.user, 'contributor');
    // The first request writes the token's lastUsedAt (once a minute); count the next one.
    await call('POST', '/api/v1/authorize', { permission: 'project.view', projectId: project.id });
    const { result: answer, ...reads } = await readsDuring(t(), () =>
      call('POST', '/api/v1/authorize', { permission: 'project.job.rerun', projectId: project.id }),
    );
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ allowed: true, reason: expect.stringContaining('Contributor') });
    expect(reads).toEqual({ prepared: ['roster_token_subject_with_project'], queries: 0 });
  });

  it('explains a question about the caller on a project with one read of the database, every path included', async () => {
    const { member, project, call } = await memberWithProject();
    await grantProjectRole(t(), project, member.user, 'contributor');
    await call('POST', '/api/v1/authorize', { permission: 'project.view', projectId: project.id });
    const { result: answer, ...reads } = await readsDuring(t(), () =>
      call('GET', `/api/v1/authorize/explain?permission=project.job.rerun&projectId=${project.id}`),
    );
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({
      allowed: true,
      paths: [expect.stringContaining('Contributor')],
      subject: { id: member.user.id },
      project: { id: project.id, name: project.name },
    });
    expect(reads).toEqual({ prepared: ['roster_token_subject_with_project'], queries: 0 });
  });

  it("lists the caller's own permissions on a project with one read, as a browser session gets them", async () => {
    const { member, project, call } = await memberWithProject();
    await grantProjectRole(t(), project, member.user, 'contributor');
    await call('POST', '/api/v1/authorize', { permission: 'project.view', projectId: project.id });
    const url = `/api/v1/people/${member.user.id}/permissions?project=${project.id}`;
    const { result: answer, ...reads } = await readsDuring(t(), () => call('GET', url));
    expect(answer.statusCode).toBe(200);
    expect(reads).toEqual({ prepared: ['roster_token_subject_with_project'], queries: 0 });
    const session = await loginAs(t().app, member.user.username, member.password);
    expect(answer.json()).toEqual((await session.get(url)).json());
    const items = (answer.json() as { items: Array<{ permission: string; allowed: boolean }> }).items;
    expect(items.find((item) => item.permission === 'project.job.rerun')?.allowed).toBe(true);
    expect(items.find((item) => item.permission === 'project.delete')?.allowed).toBe(false);
    // A project the caller cannot see is still 404, and one that does not exist too.
    const hidden = await buildProject(t(), t().owner.user, { name: `hidden-${randomUUID().slice(0, 8)}` });
    expect((await call('GET', `/api/v1/people/${member.user.id}/permissions?project=${hidden.id}`)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/people/${member.user.id}/permissions?project=${randomUUID()}`)).statusCode).toBe(404);
  });

  it("lists another person's permissions with that person's grants, not the caller's read ahead", async () => {
    const admin = await buildAdmin(t());
    const call = withToken(t(), await buildApiToken(t(), admin.user));
    const member = await buildMember(t());
    const project = await buildProject(t(), t().owner.user, { name: `theirs-${randomUUID().slice(0, 8)}` });
    await grantProjectRole(t(), project, admin.user, 'admin');
    await grantProjectRole(t(), project, member.user, 'reader');
    const items = (await call('GET', `/api/v1/people/${member.user.id}/permissions?project=${project.id}`)).json().items as Array<{
      permission: string;
      allowed: boolean;
    }>;
    expect(items.find((item) => item.permission === 'project.view')?.allowed).toBe(true);
    // The caller's Admin grant on the project is not the member's.
    expect(items.find((item) => item.permission === 'project.job.rerun')?.allowed).toBe(false);
  });

  it('answers as the two-read path does: own grant, group grant, ownership, no access, no such project', async () => {
    const owner = await loginAs(t().app, t().owner.user.username, t().owner.password);
    const { member, token, call } = await memberWithProject();
    const own = await buildProject(t(), t().owner.user, { name: `own-${randomUUID().slice(0, 8)}` });
    const viaGroup = await buildProject(t(), t().owner.user, { name: `group-${randomUUID().slice(0, 8)}` });
    const owned = await buildProject(t(), member.user, { name: `owned-${randomUUID().slice(0, 8)}` });
    const hidden = await buildProject(t(), t().owner.user, { name: `hidden-${randomUUID().slice(0, 8)}` });
    await grantProjectRole(t(), own, member.user, 'reader');
    const group = (await owner.post('/api/v1/groups', { name: `one-read-${randomUUID().slice(0, 8)}` })).json() as { id: string };
    await owner.put(`/api/v1/groups/${group.id}/members/${member.user.id}`);
    await t()
      .services.database.db.insertInto('project_access')
      .values({ project_id: viaGroup.id, subject_type: 'group', subject_id: group.id, role: 'admin', created_at: new Date().toISOString() })
      .execute();

    const questions = [own, viaGroup, owned, hidden, { id: randomUUID() }].flatMap((project) =>
      ['project.view', 'project.job.rerun', 'project.delete'].map((permission) => ({ permission, projectId: project.id })),
    );
    // The reference: the member's browser session, which reads the person and then the project (two reads).
    const session = await loginAs(t().app, member.user.username, member.password);
    for (const question of questions) {
      const url = `/api/v1/authorize/explain?permission=${question.permission}&projectId=${question.projectId}`;
      const reference = await session.get(url);
      expect(reference.statusCode, JSON.stringify(question)).toBe(200);
      const { allowed, reason } = reference.json() as { allowed: boolean; reason: string };
      const decided = await call('POST', '/api/v1/authorize', question);
      expect(decided.statusCode, JSON.stringify(question)).toBe(200);
      expect(decided.json(), JSON.stringify(question)).toEqual({ allowed, reason });
      // The explanation with the token (also one statement) gives every path, as the session's does.
      const explained = await withToken(t(), token)('GET', url);
      expect(explained.json(), JSON.stringify(question)).toEqual(reference.json());
    }
    // The one read did answer: a grant, a group and ownership each allow something, the hidden project nothing.
    expect((await call('POST', '/api/v1/authorize', { permission: 'project.view', projectId: own.id })).json().allowed).toBe(true);
    expect((await call('POST', '/api/v1/authorize', { permission: 'project.delete', projectId: viaGroup.id })).json().allowed).toBe(true);
    expect((await call('POST', '/api/v1/authorize', { permission: 'project.delete', projectId: owned.id })).json().allowed).toBe(true);
    expect((await call('POST', '/api/v1/authorize', { permission: 'project.view', projectId: hidden.id })).json().allowed).toBe(false);
  });

  it("answers a question about another person with that person's grants, not the caller's", async () => {
    const admin = await buildAdmin(t());
    const call = withToken(t(), await buildApiToken(t(), admin.user));
    const member = await buildMember(t());
    const granted = await buildProject(t(), t().owner.user, { name: `theirs-${randomUUID().slice(0, 8)}` });
    const other = await buildProject(t(), t().owner.user, { name: `other-${randomUUID().slice(0, 8)}` });
    await grantProjectRole(t(), granted, member.user, 'contributor');
    await grantProjectRole(t(), other, admin.user, 'admin');
    const ask = async (projectId: string) =>
      (await call('POST', '/api/v1/authorize', { permission: 'project.job.rerun', projectId, userId: member.user.id })).json();
    expect((await ask(granted.id)).allowed).toBe(true);
    // The caller's own grant on the other project is not the member's.
    expect((await ask(other.id)).allowed).toBe(false);
  });

  it('still refuses every token it must, before looking at the question', async () => {
    const { member, project, call } = await memberWithProject();
    const question = { permission: 'project.view', projectId: project.id };
    // A token of the right shape (and checksum) that no one holds; and one that is not even shaped like a token.
    const unknownToken = generateApiToken();
    const unknown = withToken(t(), unknownToken);
    expect((await unknown('POST', '/api/v1/authorize', question)).json().code).toBe('invalid_token');
    expect((await withToken(t(), 'rst_nonsense')('POST', '/api/v1/authorize', question)).json().code).toBe('invalid_token');
    // A refused token answers 401 even to a question that would fail validation.
    const invalid = await unknown('POST', '/api/v1/authorize', { permission: 'no.such.permission', projectId: project.id, extra: 1 });
    expect(invalid.statusCode).toBe(401);
    // The same on explain, whose project is in the query string.
    const explainInvalid = await unknown('GET', `/api/v1/authorize/explain?permission=no.such.permission&projectId=${project.id}`);
    expect(explainInvalid.statusCode).toBe(401);
    expect(explainInvalid.json().code).toBe('invalid_token');
    // A body that is not JSON is refused before an unknown token is read (decision 0027): 400, which tells nothing.
    const notJson = await t().app.inject({
      method: 'POST',
      url: '/api/v1/authorize',
      headers: { authorization: `Bearer ${unknownToken}`, 'content-type': 'application/json' },
      payload: '{"permission":',
    });
    expect(notJson.json().code).toBe('invalid_json');

    await t().services.database.db.updateTable('users').set({ must_change_password: 1 }).where('id', '=', member.user.id).execute();
    expect((await call('POST', '/api/v1/authorize', question)).json().code).toBe('password_change_required');
    await t().services.database.db.updateTable('users').set({ must_change_password: 0 }).where('id', '=', member.user.id).execute();
    expect((await call('POST', '/api/v1/authorize', question)).statusCode).toBe(200);
    await t().services.database.db.deleteFrom('api_tokens').where('user_id', '=', member.user.id).execute();
    expect((await call('POST', '/api/v1/authorize', question)).json().code).toBe('invalid_token');

    const owner = await caller(t());
    const sa = await createServiceAccount(owner.call, { expiresInDays: 30 });
    const saCall = withToken(t(), sa.token);
    expect((await saCall('POST', '/api/v1/authorize', question)).statusCode).toBe(200);
    await owner.call('POST', `/api/v1/service-accounts/${sa.id}/deactivate`);
    expect((await saCall('POST', '/api/v1/authorize', question)).json().code).toBe('service_account_deactivated');
    await owner.call('POST', `/api/v1/service-accounts/${sa.id}/reactivate`);
    t().clock.advance(31 * 86_400_000);
    expect((await saCall('POST', '/api/v1/authorize', question)).json().code).toBe('token_expired');
  });

  it('stops allowing at once when a grant is taken away while questions keep arriving', async () => {
    const { member, project, call } = await memberWithProject();
    await grantProjectRole(t(), project, member.user, 'contributor');
    const question = { permission: 'project.job.rerun', projectId: project.id };
    const during = Promise.all(Array.from({ length: 12 }, () => call('POST', '/api/v1/authorize', question)));
    await t().services.database.db.deleteFrom('project_access').where('project_id', '=', project.id).execute();
    const answers = await during;
    expect(answers.every((answer) => answer.statusCode === 200)).toBe(true);
    // Whatever the requests in flight saw, every question after the change sees it.
    const after = await Promise.all(Array.from({ length: 6 }, () => call('POST', '/api/v1/authorize', question)));
    expect(after.map((answer) => answer.json().allowed)).toEqual([false, false, false, false, false, false]);
  });
});
