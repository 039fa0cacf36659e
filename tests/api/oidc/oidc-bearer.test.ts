import { randomBytes, randomUUID } from 'node:crypto';
import { expect, it, vi } from 'vitest';
import { payloadIdDigest } from '../../../src/domain/oidc/provider-adapter.js';
import { describeEachDatabase } from '../../support/databases.js';
import { buildApiToken, buildMember, buildProject, buildUser, grantProjectRole } from '../../support/factories.js';
import { allLogs, type TestApp, useTestApp } from '../../support/test-app.js';

/**
 * The provider's access tokens at Roster's own API (docs/api-tokens.md#openid-connect-access-tokens, SPEC §12.1
 * "Audience"). Tokens are written straight into `oidc_payloads` the way the provider's adapter stores them (id = the
 * SHA-256 of the token, model AccessToken or ClientCredentials), so these tests do not depend on the provider itself.
 */

interface Application {
  id: string;
  clientId: string;
  name: string;
}

async function buildApplication(
  t: TestApp,
  flags: { rosterApi?: boolean; authorizeApi?: boolean; restrictedToGroups?: boolean } = {},
): Promise<Application> {
  const id = randomUUID();
  const clientId = `client-${randomUUID()}`;
  const name = `app-${id.slice(0, 6)}`;
  const now = t.services.now().toISOString();
  await t.services.database.db
    .insertInto('applications')
    .values({
      id,
      client_id: clientId,
      name,
      type: 'confidential',
      redirect_uris: JSON.stringify(['https://ci.example.com/callback']),
      roster_api: flags.rosterApi ? 1 : 0,
      authorize_api: flags.authorizeApi ? 1 : 0,
      restricted_to_groups: flags.restrictedToGroups ? 1 : 0,
      secret_digest: 'a'.repeat(64),
      previous_secret_digest: null,
      previous_secret_expires_at: null,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id, clientId, name };
}

/** What the provider hands out: 43 characters of the URL-safe alphabet. */
const newTokenValue = () => randomBytes(32).toString('base64url');

async function storeToken(
  t: TestApp,
  model: 'AccessToken' | 'ClientCredentials',
  application: Application,
  accountId: string | null,
  scope: string,
  lifetimeSeconds = 600,
): Promise<string> {
  const token = newTokenValue();
  const now = t.services.now().getTime();
  const iat = Math.floor(now / 1000);
  const grantId = model === 'AccessToken' ? randomUUID() : undefined;
  const payload = {
    kind: model,
    jti: token,
    ...(accountId ? { accountId } : {}),
    clientId: application.clientId,
    ...(grantId ? { grantId } : {}),
    scope,
    iat,
    exp: iat + lifetimeSeconds,
  };
  await t.services.database.db
    .insertInto('oidc_payloads')
    .values({
      model,
      id: payloadIdDigest(token),
      payload: JSON.stringify(payload),
      grant_id: grantId ?? null,
      account_id: accountId,
      client_id: application.clientId,
      uid: null,
      roster_session: null,
      expires_at: new Date(now + lifetimeSeconds * 1000).toISOString(),
      consumed_at: null,
    })
    .execute();
  return token;
}

const personToken = (t: TestApp, application: Application, userId: string, scope = 'openid profile roster:api', lifetime?: number) =>
  storeToken(t, 'AccessToken', application, userId, scope, lifetime);
const clientCredentialsToken = (t: TestApp, application: Application, scope = 'roster:authorize', lifetime?: number) =>
  storeToken(t, 'ClientCredentials', application, null, scope, lifetime);

function call(t: TestApp, token: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) {
  return t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload }),
  });
}

function expectInvalidToken(response: { statusCode: number; body: string; json(): { code?: string } }) {
  expect(response.statusCode, response.body).toBe(401);
  expect(response.json().code).toBe('invalid_token');
}

/** Counts every query that reaches the database (the executor and the prepared reads), as tests/api/tokens.test.ts does. */
function countDriverCalls(t: TestApp): { calls(): number; restore(): void } {
  const spy = vi.spyOn(t.services.database.db.getExecutor(), 'executeQuery');
  const prepared = vi.spyOn(t.services.database, 'readPrepared');
  return {
    calls: () => spy.mock.calls.length + prepared.mock.calls.length,
    restore: () => {
      spy.mockRestore();
      prepared.mockRestore();
    },
  };
}

describeEachDatabase('OpenID Connect access tokens at Roster’s API: a person’s token (scope roster:api)', (dialect) => {
  const t = useTestApp(dialect);

  it('answers GET /me as that person, exactly as their personal API token does', async () => {
    const { user } = await buildMember(t());
    const application = await buildApplication(t(), { rosterApi: true });
    const personal = await buildApiToken(t(), user);
    const byPersonal = await call(t(), personal, 'GET', '/api/v1/me');
    expect(byPersonal.statusCode, byPersonal.body).toBe(200);
    const token = await personToken(t(), application, user.id);
    const byOidc = await call(t(), token, 'GET', '/api/v1/me');
    expect(byOidc.statusCode, byOidc.body).toBe(200);
    expect(byOidc.json()).toEqual(byPersonal.json());
    expect(byOidc.json().user.id).toBe(user.id);
    expect(byOidc.json().csrfToken).toBeNull();
  });

  it('refuses a token issued without the roster:api scope (a token for the application, not for Roster)', async () => {
    const { user } = await buildMember(t());
    const application = await buildApplication(t(), { rosterApi: true });
    expectInvalidToken(await call(t(), await personToken(t(), application, user.id, 'openid profile email'), 'GET', '/api/v1/me'));
    // A look-alike scope is not the scope.
    expectInvalidToken(await call(t(), await personToken(t(), application, user.id, 'openid roster:api2 roster'), 'GET', '/api/v1/me'));
  });

  it('refuses an expired token', async () => {
    const { user } = await buildMember(t());
    const application = await buildApplication(t(), { rosterApi: true });
    const token = await personToken(t(), application, user.id, 'openid roster:api', 600);
    expect((await call(t(), token, 'GET', '/api/v1/me')).statusCode).toBe(200);
    t().clock.advanceMinutes(11);
    expectInvalidToken(await call(t(), token, 'GET', '/api/v1/me'));
  });

  it('refuses a revoked token (its row deleted) on the very next request', async () => {
    const { user } = await buildMember(t());
    const application = await buildApplication(t(), { rosterApi: true });
    const token = await personToken(t(), application, user.id);
    expect((await call(t(), token, 'GET', '/api/v1/me')).statusCode).toBe(200);
    await t().services.database.db.deleteFrom('oidc_payloads').where('id', '=', payloadIdDigest(token)).execute();
    expectInvalidToken(await call(t(), token, 'GET', '/api/v1/me'));
  });

  it('refuses the token of a removed person even while its row is still there', async () => {
    const { user } = await buildMember(t());
    const application = await buildApplication(t(), { rosterApi: true });
    const token = await personToken(t(), application, user.id);
    expect((await call(t(), token, 'GET', '/api/v1/me')).statusCode).toBe(200);
    await t()
      .services.database.db.updateTable('users')
      .set({ status: 'removed', removed_at: t().services.now().toISOString() })
      .where('id', '=', user.id)
      .execute();
    expectInvalidToken(await call(t(), token, 'GET', '/api/v1/me'));
    expectInvalidToken(await call(t(), token, 'POST', '/api/v1/authorize', { permission: 'organization.view' }));
  });

  it('refuses a person whose password must change, as an API token is refused', async () => {
    const { user } = await buildUser(t(), { mustChangePassword: true });
    const application = await buildApplication(t(), { rosterApi: true });
    const response = await call(t(), await personToken(t(), application, user.id), 'GET', '/api/v1/me');
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('password_change_required');
  });

  it('refuses the token once its application is deleted or loses roster_api', async () => {
    const { user } = await buildMember(t());
    const db = t().services.database.db;
    const demoted = await buildApplication(t(), { rosterApi: true });
    const demotedToken = await personToken(t(), demoted, user.id);
    expect((await call(t(), demotedToken, 'GET', '/api/v1/me')).statusCode).toBe(200);
    await db.updateTable('applications').set({ roster_api: 0 }).where('id', '=', demoted.id).execute();
    expectInvalidToken(await call(t(), demotedToken, 'GET', '/api/v1/me'));

    const deleted = await buildApplication(t(), { rosterApi: true });
    const deletedToken = await personToken(t(), deleted, user.id);
    expect((await call(t(), deletedToken, 'GET', '/api/v1/me')).statusCode).toBe(200);
    await db.deleteFrom('applications').where('id', '=', deleted.id).execute();
    expectInvalidToken(await call(t(), deletedToken, 'GET', '/api/v1/me'));
  });

  it('refuses a person who is no longer in the groups allowed to sign in to the application', async () => {
    const { user } = await buildMember(t());
    const db = t().services.database.db;
    const application = await buildApplication(t(), { rosterApi: true, restrictedToGroups: true });
    const groupId = randomUUID();
    const now = t().services.now().toISOString();
    await db
      .insertInto('groups')
      .values({
        id: groupId,
        name: `ci-${groupId.slice(0, 6)}`,
        name_canonical: `ci-${groupId.slice(0, 6)}`,
        description: '',
        role: null,
        created_at: now,
      })
      .execute();
    await db.insertInto('application_groups').values({ application_id: application.id, group_id: groupId }).execute();
    const token = await personToken(t(), application, user.id);
    expectInvalidToken(await call(t(), token, 'GET', '/api/v1/me'));
    await db.insertInto('group_members').values({ group_id: groupId, user_id: user.id, created_at: now }).execute();
    expect((await call(t(), token, 'GET', '/api/v1/me')).statusCode).toBe(200);
  });

  it('is worth nothing at every other route, even for an Owner', async () => {
    const { user: owner } = await buildUser(t(), { role: 'owner' });
    const { user: member } = await buildMember(t());
    const application = await buildApplication(t(), { rosterApi: true, authorizeApi: true });
    const token = await personToken(t(), application, owner.id);
    const attempts = [
      call(t(), token, 'PUT', `/api/v1/people/${member.id}/role`, { role: 'admin' }),
      call(t(), token, 'GET', '/api/v1/people'),
      call(t(), token, 'GET', `/api/v1/people/${member.id}`),
      call(t(), token, 'PATCH', '/api/v1/me', { username: 'renamed-by-token' }),
      call(t(), token, 'POST', '/api/v1/me/token', { currentPassword: 'factory horse battery staple' }),
      call(t(), token, 'GET', '/api/v1/me/sessions'),
      call(t(), token, 'GET', '/api/v1/audit'),
      call(t(), token, 'GET', `/api/v1/authorize/explain?permission=organization.view`),
      call(t(), token, 'GET', '/api/v1/projects'),
    ];
    for (const response of await Promise.all(attempts)) expectInvalidToken(response);
    const after = await t().services.database.db.selectFrom('users').select('role').where('id', '=', member.id).executeTakeFirstOrThrow();
    expect(after.role).toBe('member');
  });

  it('asks POST /authorize about the person themselves: the same decision and path as their personal token', async () => {
    const { user } = await buildMember(t());
    const project = await buildProject(t(), t().owner.user);
    await grantProjectRole(t(), project, user, 'contributor');
    const hidden = await buildProject(t(), t().owner.user);
    const application = await buildApplication(t(), { rosterApi: true });
    const token = await personToken(t(), application, user.id);
    const personal = await buildApiToken(t(), user);
    const questions = [
      { permission: 'organization.projects.create' },
      { permission: 'organization.people.view' },
      { permission: 'project.view', projectId: project.id },
      { permission: 'project.view', projectId: hidden.id },
      { permission: 'project.view', projectId: randomUUID() },
      { permission: 'organization.view', userId: user.id },
    ];
    for (const question of questions) {
      const byPersonal = await call(t(), personal, 'POST', '/api/v1/authorize', question);
      const byOidc = await call(t(), token, 'POST', '/api/v1/authorize', question);
      expect(byOidc.statusCode, byOidc.body).toBe(byPersonal.statusCode);
      expect(byOidc.json(), JSON.stringify(question)).toEqual(byPersonal.json());
    }
    expect(
      (await call(t(), token, 'POST', '/api/v1/authorize', { permission: 'project.view', projectId: project.id })).json(),
    ).toMatchObject({
      allowed: true,
    });
  });

  it('refuses POST /authorize about anyone else, even when the person could ask with their own credentials', async () => {
    const { user: owner } = await buildUser(t(), { role: 'owner' });
    const { user: member } = await buildMember(t());
    const application = await buildApplication(t(), { rosterApi: true });
    const token = await personToken(t(), application, owner.id);
    // With the Owner's personal token the question is fine (organization.people.view) ...
    const personal = await buildApiToken(t(), owner);
    expect(
      (await call(t(), personal, 'POST', '/api/v1/authorize', { permission: 'organization.view', userId: member.id })).statusCode,
    ).toBe(200);
    // ... through an application's token it is not.
    const response = await call(t(), token, 'POST', '/api/v1/authorize', { permission: 'organization.view', userId: member.id });
    expect(response.statusCode, response.body).toBe(403);
    expect(response.json().code).toBe('forbidden');
  });

  it('refuses, before any database access, a value of the right length that is not a token and any provider token on a route that takes none', async () => {
    const { user } = await buildMember(t());
    const application = await buildApplication(t(), { rosterApi: true });
    const token = await personToken(t(), application, user.id);
    const apiToken = await buildApiToken(t(), user);
    const counter = countDriverCalls(t());
    try {
      const malformed = `${'A'.repeat(42)}!`;
      expect(malformed).toHaveLength(43);
      expectInvalidToken(await call(t(), malformed, 'GET', '/api/v1/me'));
      expectInvalidToken(await call(t(), `${token}A`, 'GET', '/api/v1/me'));
      expectInvalidToken(await call(t(), token.slice(1), 'GET', '/api/v1/me'));
      expectInvalidToken(await call(t(), token, 'GET', '/api/v1/people'));
      // A mistyped API token one character too long has a provider token's length: its prefix keeps it an API token.
      expectInvalidToken(await call(t(), `${apiToken}0`, 'GET', '/api/v1/me'));
      expect(counter.calls()).toBe(0);
    } finally {
      counter.restore();
    }
  });

  it('reads the token, its application and the person with role and groups in one round trip', async () => {
    const { user } = await buildMember(t());
    const application = await buildApplication(t(), { rosterApi: true });
    const token = await personToken(t(), application, user.id);
    expect((await call(t(), token, 'POST', '/api/v1/authorize', { permission: 'organization.view' })).statusCode).toBe(200);
    const counter = countDriverCalls(t());
    try {
      const response = await call(t(), token, 'POST', '/api/v1/authorize', { permission: 'organization.view' });
      expect(response.statusCode).toBe(200);
      // The token, its application and the person with role and groups: one statement. The decision reads nothing more.
      expect(counter.calls()).toBe(1);
    } finally {
      counter.restore();
    }
  });

  it('answers a question about a project with one read: the token, the person and the project in one statement', async () => {
    const { user } = await buildMember(t());
    const project = await buildProject(t(), t().owner.user);
    await grantProjectRole(t(), project, user, 'contributor');
    const application = await buildApplication(t(), { rosterApi: true });
    const token = await personToken(t(), application, user.id);
    const question = { permission: 'project.job.rerun', projectId: project.id };
    expect((await call(t(), token, 'POST', '/api/v1/authorize', question)).statusCode).toBe(200);
    const executor = vi.spyOn(t().services.database.db.getExecutor(), 'executeQuery');
    const prepared = vi.spyOn(t().services.database, 'readPrepared');
    try {
      const response = await call(t(), token, 'POST', '/api/v1/authorize', question);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toEqual({ allowed: true, reason: expect.stringContaining('Contributor') });
      expect(prepared.mock.calls.map(([name]) => name)).toEqual(['roster_oidc_bearer_token_with_project']);
      expect(executor).not.toHaveBeenCalled();
    } finally {
      executor.mockRestore();
      prepared.mockRestore();
    }
  });

  it('refuses a question about a project as it refuses any other: removed, outside the allowed groups, expired, revoked', async () => {
    const db = t().services.database.db;
    const project = await buildProject(t(), t().owner.user);
    const question = (token: string) =>
      call(t(), token, 'POST', '/api/v1/authorize', { permission: 'project.view', projectId: project.id });
    const open = await buildApplication(t(), { rosterApi: true });
    const restricted = await buildApplication(t(), { rosterApi: true, restrictedToGroups: true });

    const { user: removed } = await buildMember(t());
    await grantProjectRole(t(), project, removed, 'reader');
    const removedToken = await personToken(t(), open, removed.id);
    expect((await question(removedToken)).json()).toMatchObject({ allowed: true });
    await db
      .updateTable('users')
      .set({ status: 'removed', removed_at: t().services.now().toISOString() })
      .where('id', '=', removed.id)
      .execute();
    expectInvalidToken(await question(removedToken));

    const { user: outside } = await buildMember(t());
    await grantProjectRole(t(), project, outside, 'reader');
    expectInvalidToken(await question(await personToken(t(), restricted, outside.id)));

    const { user: member } = await buildMember(t());
    await grantProjectRole(t(), project, member, 'reader');
    const expiring = await personToken(t(), open, member.id, undefined, 60);
    expect((await question(expiring)).statusCode).toBe(200);
    t().clock.advance(61_000);
    expectInvalidToken(await question(expiring));
    const revoked = await personToken(t(), open, member.id);
    await db.deleteFrom('oidc_payloads').where('id', '=', payloadIdDigest(revoked)).execute();
    expectInvalidToken(await question(revoked));
    // A body that is not a question is still answered by the token's refusal when the token is refused.
    const refused = await call(t(), revoked, 'POST', '/api/v1/authorize', { permission: 'no.such.permission', projectId: project.id });
    expectInvalidToken(refused);
  });

  it('stops allowing at once when a grant is taken away or the person removed while questions keep arriving', async () => {
    const db = t().services.database.db;
    const application = await buildApplication(t(), { rosterApi: true });
    const project = await buildProject(t(), t().owner.user);
    const question = { permission: 'project.job.rerun', projectId: project.id };
    const { user: granted } = await buildMember(t());
    const { user: removed } = await buildMember(t());
    await grantProjectRole(t(), project, granted, 'contributor');
    await grantProjectRole(t(), project, removed, 'contributor');
    const grantedToken = await personToken(t(), application, granted.id);
    const removedToken = await personToken(t(), application, removed.id);
    const ask = (token: string, n: number) =>
      Promise.all(Array.from({ length: n }, () => call(t(), token, 'POST', '/api/v1/authorize', question)));

    const during = Promise.all([ask(grantedToken, 12), ask(removedToken, 12)]);
    await db.deleteFrom('project_access').where('project_id', '=', project.id).where('subject_id', '=', granted.id).execute();
    await db
      .updateTable('users')
      .set({ status: 'removed', removed_at: t().services.now().toISOString() })
      .where('id', '=', removed.id)
      .execute();
    for (const answer of (await during).flat()) expect([200, 401]).toContain(answer.statusCode);
    // Whatever the requests in flight saw, every question after the changes sees them.
    const after = await ask(grantedToken, 6);
    expect(after.map((answer) => answer.json().allowed)).toEqual([false, false, false, false, false, false]);
    for (const answer of await ask(removedToken, 6)) expectInvalidToken(answer);
  });

  it('never writes the token to the log', async () => {
    const { user } = await buildMember(t());
    const application = await buildApplication(t(), { rosterApi: true });
    const token = await personToken(t(), application, user.id);
    expect((await call(t(), token, 'GET', '/api/v1/me')).statusCode).toBe(200);
    expectInvalidToken(await call(t(), token, 'GET', '/api/v1/people'));
    expect(allLogs(t())).not.toContain(token);
    expect(allLogs(t())).not.toContain(token.slice(0, 20));
  });
});

describeEachDatabase('OpenID Connect access tokens at Roster’s API: an application’s client-credentials token', (dialect) => {
  const t = useTestApp(dialect);

  it('answers POST /authorize about the person named in userId, as that person’s own token would', async () => {
    const { user } = await buildMember(t());
    const project = await buildProject(t(), t().owner.user);
    await grantProjectRole(t(), project, user, 'contributor');
    const hidden = await buildProject(t(), t().owner.user);
    const application = await buildApplication(t(), { authorizeApi: true });
    const token = await clientCredentialsToken(t(), application);
    const personal = await buildApiToken(t(), user);
    const questions = [
      { permission: 'organization.projects.create' },
      { permission: 'organization.people.view' },
      { permission: 'project.view', projectId: project.id },
      { permission: 'project.job.rerun', projectId: project.id },
      { permission: 'project.view', projectId: hidden.id },
      { permission: 'project.view', projectId: randomUUID() },
    ];
    for (const question of questions) {
      const byPerson = await call(t(), personal, 'POST', '/api/v1/authorize', question);
      const byApplication = await call(t(), token, 'POST', '/api/v1/authorize', { ...question, userId: user.id });
      expect(byApplication.statusCode, byApplication.body).toBe(200);
      expect(byApplication.json(), JSON.stringify(question)).toEqual(byPerson.json());
    }
  });

  it('answers about a removed person: refused', async () => {
    const { user } = await buildMember(t());
    const application = await buildApplication(t(), { authorizeApi: true });
    const token = await clientCredentialsToken(t(), application);
    await t()
      .services.database.db.updateTable('users')
      .set({ status: 'removed', removed_at: t().services.now().toISOString() })
      .where('id', '=', user.id)
      .execute();
    const response = await call(t(), token, 'POST', '/api/v1/authorize', { permission: 'organization.view', userId: user.id });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ allowed: false, reason: 'The account has been removed.' });
  });

  it('requires userId: an application has no permissions of its own', async () => {
    const application = await buildApplication(t(), { authorizeApi: true });
    const token = await clientCredentialsToken(t(), application);
    const response = await call(t(), token, 'POST', '/api/v1/authorize', { permission: 'organization.view' });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_failed', errors: [{ field: '/userId' }] });
    const unknown = await call(t(), token, 'POST', '/api/v1/authorize', { permission: 'organization.view', userId: randomUUID() });
    expect(unknown.statusCode).toBe(404);
  });

  it('is refused by GET /me and every other route', async () => {
    const { user } = await buildMember(t());
    const application = await buildApplication(t(), { authorizeApi: true, rosterApi: true });
    const token = await clientCredentialsToken(t(), application);
    for (const response of await Promise.all([
      call(t(), token, 'GET', '/api/v1/me'),
      call(t(), token, 'GET', `/api/v1/authorize/explain?permission=organization.view&userId=${user.id}`),
      call(t(), token, 'GET', `/api/v1/people/${user.id}/permissions`),
      call(t(), token, 'GET', '/api/v1/people'),
    ])) {
      expectInvalidToken(response);
    }
  });

  it('is refused when its application may not use the authorization API, or the scope is missing', async () => {
    const { user } = await buildMember(t());
    const question = { permission: 'organization.view', userId: user.id };
    const withoutFlag = await buildApplication(t(), { rosterApi: true });
    expectInvalidToken(await call(t(), await clientCredentialsToken(t(), withoutFlag), 'POST', '/api/v1/authorize', question));

    const application = await buildApplication(t(), { authorizeApi: true });
    expectInvalidToken(await call(t(), await clientCredentialsToken(t(), application, 'openid'), 'POST', '/api/v1/authorize', question));

    const token = await clientCredentialsToken(t(), application);
    expect((await call(t(), token, 'POST', '/api/v1/authorize', question)).statusCode).toBe(200);
    await t().services.database.db.updateTable('applications').set({ authorize_api: 0 }).where('id', '=', application.id).execute();
    expectInvalidToken(await call(t(), token, 'POST', '/api/v1/authorize', question));
  });

  it('is refused when expired or revoked', async () => {
    const { user } = await buildMember(t());
    const question = { permission: 'organization.view', userId: user.id };
    const application = await buildApplication(t(), { authorizeApi: true });
    const expiring = await clientCredentialsToken(t(), application, 'roster:authorize', 60);
    const revoked = await clientCredentialsToken(t(), application);
    expect((await call(t(), expiring, 'POST', '/api/v1/authorize', question)).statusCode).toBe(200);
    expect((await call(t(), revoked, 'POST', '/api/v1/authorize', question)).statusCode).toBe(200);
    await t().services.database.db.deleteFrom('oidc_payloads').where('id', '=', payloadIdDigest(revoked)).execute();
    expectInvalidToken(await call(t(), revoked, 'POST', '/api/v1/authorize', question));
    t().clock.advanceMinutes(2);
    expectInvalidToken(await call(t(), expiring, 'POST', '/api/v1/authorize', question));
  });

  it('does not turn a person’s access token into an application caller, nor the reverse', async () => {
    const { user } = await buildMember(t());
    // An application that may use both APIs: a person's token still asks only about the person, and a
    // client-credentials token stored with roster:api (not roster:authorize) is not an application caller.
    const application = await buildApplication(t(), { authorizeApi: true, rosterApi: true });
    const other = await buildMember(t());
    const token = await personToken(t(), application, user.id, 'openid roster:api roster:authorize');
    const aboutOther = await call(t(), token, 'POST', '/api/v1/authorize', { permission: 'organization.view', userId: other.user.id });
    expect(aboutOther.statusCode).toBe(403);
    const wrongScope = await clientCredentialsToken(t(), application, 'roster:api');
    expectInvalidToken(await call(t(), wrongScope, 'POST', '/api/v1/authorize', { permission: 'organization.view', userId: user.id }));
    expect(allLogs(t())).not.toContain(token);
  });
});
