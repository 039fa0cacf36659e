import type { InjectOptions } from 'fastify';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildApiToken, buildOwner, type TestUser } from '../../support/factories.js';
import { type TestApp, useTestApp } from '../../support/test-app.js';

/** Makes `owners` fresh Owners the only active Owners: every other Owner becomes a Member first. */
async function onlyOwners(t: TestApp, owners: number): Promise<TestUser[]> {
  await t.services.database.db.updateTable('users').set({ role: 'member' }).where('role', '=', 'owner').execute();
  const made: TestUser[] = [];
  for (let i = 0; i < owners; i++) made.push(await buildOwner(t));
  return made;
}

describeEachDatabase('the last Owner (R1)', (dialect) => {
  const t = useTestApp(dialect);

  async function ownerCaller(person: TestUser) {
    const token = await buildApiToken(t(), person.user);
    return (method: InjectOptions['method'], url: string, payload?: object) =>
      t().app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  }

  async function activeOwners() {
    return t().services.database.db.selectFrom('users').select('id').where('role', '=', 'owner').where('status', '=', 'active').execute();
  }

  it('refuses to demote or remove the last Owner, and lets an Owner step down while another exists', async () => {
    const [owner] = await onlyOwners(t(), 1);
    if (!owner) throw new Error('no owner');
    const call = await ownerCaller(owner);

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
    expect((await activeOwners()).map((o) => o.id)).toEqual([second.user.id]);
  });

  // Two Owners acting at once: each test starts from exactly two active Owners, a and b.

  it('leaves exactly one Owner when each demotes the other', async () => {
    const [a, b] = await onlyOwners(t(), 2);
    if (!a || !b) throw new Error('no owners');
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
    const [a, b] = await onlyOwners(t(), 2);
    if (!a || !b) throw new Error('no owners');
    const [asA, asB] = [await ownerCaller(a), await ownerCaller(b)];
    const responses = await Promise.all([
      asA('PUT', `/api/v1/people/${a.user.id}/role`, { role: 'admin' }),
      asB('PUT', `/api/v1/people/${b.user.id}/role`, { role: 'admin' }),
    ]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(responses.find((r) => r.statusCode === 409)?.json().code).toBe('last_owner');
    expect(await activeOwners()).toHaveLength(1);
  });

  it('leaves exactly one Owner when each removes the other', async () => {
    const [a, b] = await onlyOwners(t(), 2);
    if (!a || !b) throw new Error('no owners');
    const [asA, asB] = [await ownerCaller(a), await ownerCaller(b)];
    const responses = await Promise.all([asA('DELETE', `/api/v1/people/${b.user.id}`), asB('DELETE', `/api/v1/people/${a.user.id}`)]);
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses[0]).toBe(204);
    expect([403, 409]).toContain(statuses[1]);
    expect(await activeOwners()).toHaveLength(1);
  });
});
