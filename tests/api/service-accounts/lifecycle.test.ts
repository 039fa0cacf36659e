import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { useTestApp } from '../../support/test-app.js';
import { auditEventsAbout, caller, createServiceAccount, saName, withToken } from './support.js';

const tokenPattern = /^rss_[0-9A-Za-z]{38}$/;

describeEachDatabase('service accounts: the API', (dialect) => {
  const t = useTestApp(dialect);

  it('creates one with a token shown once, lists it, shows it, and its token acts as it', async () => {
    const owner = await caller(t());
    const name = saName('deploy');
    const created = await owner.call('POST', '/api/v1/service-accounts', { name, description: 'Deploys', role: 'member' });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body.token).toMatch(tokenPattern);
    expect(body.serviceAccount).toMatchObject({
      type: 'service_account',
      name,
      description: 'Deploys',
      role: 'member',
      status: 'active',
      createdBy: { id: owner.user.id, name: owner.user.username },
      ownedProjects: [],
    });
    // 90 days by default.
    const expiresAt = Date.parse(body.serviceAccount.token.expiresAt);
    expect(expiresAt - t().services.now().getTime()).toBe(90 * 86_400_000);
    expect(body.serviceAccount.token.prefix).toBe(body.token.slice(0, 8));

    const shown = await owner.call('GET', `/api/v1/service-accounts/${body.serviceAccount.id}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).not.toContain(body.token);
    const listed = await owner.call('GET', `/api/v1/service-accounts?query=${name}`);
    expect(listed.json().items.map((item: { id: string }) => item.id)).toEqual([body.serviceAccount.id]);

    const me = await withToken(t(), body.token)('GET', '/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user).toMatchObject({ id: body.serviceAccount.id, username: name, type: 'service_account' });
    const events = await auditEventsAbout(t(), body.serviceAccount.id, 'service_account.created');
    expect(events).toHaveLength(1);
    expect(events[0]?.details).not.toContain(body.token);
  });

  it('lists service accounts in GET /people only when asked, with their type', async () => {
    const owner = await caller(t());
    const sa = await createServiceAccount(owner.call);
    const people = (await owner.call('GET', '/api/v1/people?limit=500')).json().items as Array<{ id: string; type: string }>;
    expect(people.some((item) => item.id === sa.id)).toBe(false);
    expect(people.every((item) => item.type === 'person')).toBe(true);
    const onlySa = (await owner.call('GET', '/api/v1/people?type=service_account&limit=500')).json().items as Array<{
      id: string;
      type: string;
      tokenExpiresAt?: string | null;
    }>;
    expect(onlySa.every((item) => item.type === 'service_account')).toBe(true);
    expect(onlySa.find((item) => item.id === sa.id)?.tokenExpiresAt).toEqual(expect.any(String));
    const all = (await owner.call('GET', '/api/v1/people?type=all&limit=500')).json().items as Array<{ id: string }>;
    expect(all.some((item) => item.id === sa.id)).toBe(true);
    expect(all.some((item) => item.id === owner.user.id)).toBe(true);
  });

  it('updates, regenerates, deactivates, reactivates and deletes, one audit event each', async () => {
    const owner = await caller(t());
    const sa = await createServiceAccount(owner.call);
    const renamed = saName('renamed');
    const patched = await owner.call('PATCH', `/api/v1/service-accounts/${sa.id}`, { name: renamed, description: 'new' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ name: renamed, description: 'new' });

    const regenerated = await owner.call('POST', `/api/v1/service-accounts/${sa.id}/token`, { expiresInDays: 30 });
    expect(regenerated.statusCode).toBe(200);
    expect(regenerated.json().token).toMatch(tokenPattern);
    expect(Date.parse(regenerated.json().expiresAt) - t().services.now().getTime()).toBe(30 * 86_400_000);
    expect((await withToken(t(), sa.token)('GET', '/api/v1/me')).json().code).toBe('invalid_token');
    const token = regenerated.json().token as string;
    expect((await withToken(t(), token)('GET', '/api/v1/me')).statusCode).toBe(200);

    const deactivated = await owner.call('POST', `/api/v1/service-accounts/${sa.id}/deactivate`);
    expect(deactivated.statusCode).toBe(200);
    expect(deactivated.json().status).toBe('deactivated');
    const refused = await withToken(t(), token)('GET', '/api/v1/me');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('service_account_deactivated');

    const reactivated = await owner.call('POST', `/api/v1/service-accounts/${sa.id}/reactivate`);
    expect(reactivated.json().status).toBe('active');
    expect((await withToken(t(), token)('GET', '/api/v1/me')).statusCode).toBe(200);

    expect((await owner.call('DELETE', `/api/v1/service-accounts/${sa.id}`)).statusCode).toBe(204);
    expect((await withToken(t(), token)('GET', '/api/v1/me')).statusCode).toBe(401);
    expect((await owner.call('GET', `/api/v1/service-accounts/${sa.id}`)).json()).toMatchObject({ status: 'removed', token: null });

    const actions = (await auditEventsAbout(t(), sa.id)).map((event) => event.action);
    expect(actions).toEqual([
      'service_account.created',
      'service_account.updated',
      'service_account.token_regenerated',
      'service_account.deactivated',
      'service_account.reactivated',
      'service_account.removed',
    ]);
  });
});
