import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildAdmin, buildMember, buildOwner } from '../../support/factories.js';
import { useTestApp } from '../../support/test-app.js';
import { auditEvents, caller } from './support.js';

describeEachDatabase('changing roles (R1–R3)', (dialect) => {
  const t = useTestApp(dialect);

  it('lets an Owner promote and demote anyone, Owners included, and audits from/to', async () => {
    const owner = await caller(t());
    const target = await buildMember(t());
    const promoted = await owner.call('PUT', `/api/v1/people/${target.user.id}/role`, { role: 'owner' });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).toMatchObject({ role: 'owner', effectiveRole: 'owner' });
    expect((await owner.call('PUT', `/api/v1/people/${target.user.id}/role`, { role: 'member' })).json().role).toBe('member');
    const events = await auditEvents(t(), target.user.id, 'user.role_changed');
    expect(events.map((e) => JSON.parse(e.details))).toEqual([
      expect.objectContaining({ from: 'member', to: 'owner' }),
      expect.objectContaining({ from: 'owner', to: 'member' }),
    ]);
  });

  it('lets an Admin promote a Member to Admin, then no longer manage them', async () => {
    const admin = await caller(t(), 'admin');
    const target = await buildMember(t());
    expect((await admin.call('PUT', `/api/v1/people/${target.user.id}/role`, { role: 'admin' })).statusCode).toBe(200);
    const again = await admin.call('PUT', `/api/v1/people/${target.user.id}/role`, { role: 'member' });
    expect(again.statusCode).toBe(403);
    expect(again.json().detail).toMatch(/Admins cannot change the role of another Admin/);
  });

  it('refuses an Admin granting Owner, acting on an Owner or another Admin, or changing its own role', async () => {
    const admin = await caller(t(), 'admin');
    const member = await buildMember(t());
    const otherAdmin = await buildAdmin(t());
    const owner = await buildOwner(t());
    const cases: Array<[string, string, RegExp]> = [
      [member.user.id, 'owner', /cannot grant the Owner role/],
      [owner.user.id, 'member', /Admins cannot change the role of an Owner/],
      [otherAdmin.user.id, 'member', /another Admin/],
      [admin.user.id, 'member', /Nobody can change their own role/],
    ];
    for (const [id, role, detail] of cases) {
      const response = await admin.call('PUT', `/api/v1/people/${id}/role`, { role });
      expect(response.statusCode, `${id} → ${role}`).toBe(403);
      expect(response.json()).toMatchObject({ code: 'forbidden', detail: expect.stringMatching(detail) });
    }
    const denied = await auditEvents(t(), owner.user.id, 'user.role_changed');
    expect(denied.map((e) => e.outcome)).toEqual(['denied']);
  });

  it('shows the roles an Admin may grant and why the others are disabled', async () => {
    const admin = await caller(t(), 'admin');
    const member = await buildMember(t());
    const detail = (await admin.call('GET', `/api/v1/people/${member.user.id}`)).json();
    expect(detail.abilities).toMatchObject({
      changeRole: true,
      allowedRoles: ['admin', 'member'],
      changeEmail: true,
      resetPassword: true,
      unlock: true,
      endSessions: true,
      remove: true,
    });
    expect(detail.abilities.disabledReasons).toEqual({ owner: expect.stringMatching(/cannot grant the Owner role/) });
    const self = (await admin.call('GET', `/api/v1/people/${admin.user.id}`)).json();
    expect(self.abilities).toMatchObject({ changeRole: false, allowedRoles: ['admin'], remove: false, resetPassword: false });
  });

  it('answers 404 for an unknown person and 400 for an unknown role or field', async () => {
    const owner = await caller(t());
    expect((await owner.call('PUT', '/api/v1/people/00000000-0000-4000-8000-000000000000/role', { role: 'admin' })).statusCode).toBe(404);
    expect((await owner.call('GET', '/api/v1/people/not-a-uuid')).statusCode).toBe(404);
    const member = await buildMember(t());
    expect((await owner.call('PUT', `/api/v1/people/${member.user.id}/role`, { role: 'god' })).statusCode).toBe(400);
    const extra = await owner.call('PUT', `/api/v1/people/${member.user.id}/role`, { role: 'admin', force: true });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().errors).toEqual([{ field: '/force', message: 'Unknown field "force".' }]);
  });
});
