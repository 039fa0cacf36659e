import { expect, it } from 'vitest';
import { resetPasswordOffline } from '../../../src/domain/bootstrap/reset-password-offline.js';
import { describeEachDatabase } from '../../support/databases.js';
import { buildMember } from '../../support/factories.js';
import { postLogin } from '../../support/session.js';
import { useTestApp } from '../../support/test-app.js';
import { auditEventsAbout, caller, createServiceAccount, saName, withToken } from './support.js';

type Role = 'owner' | 'admin' | 'member';
type SaRole = 'admin' | 'member';

describeEachDatabase('service accounts: who may manage whom (R2, R3, Owner-only rules)', (dialect) => {
  const t = useTestApp(dialect);

  /** Every action on a service account, as [name, method, path suffix, body]. */
  const actions = [
    ['update', 'PATCH', '', { description: 'changed' }],
    ['regenerate', 'POST', '/token', {}],
    ['deactivate', 'POST', '/deactivate', {}],
    ['reactivate', 'POST', '/reactivate', {}],
    ['remove', 'DELETE', '', undefined],
  ] as const;

  // Owners manage every service account; Admins only Member ones; Members none (no permission).
  const allowed: Record<Role, Record<SaRole, boolean>> = {
    owner: { admin: true, member: true },
    admin: { admin: false, member: true },
    member: { admin: false, member: false },
  };

  for (const actorRole of ['owner', 'admin', 'member'] as const) {
    for (const targetRole of ['admin', 'member'] as const) {
      it(`${actorRole} × ${targetRole} service account: ${allowed[actorRole][targetRole] ? 'every action' : 'no action'}`, async () => {
        const owner = await caller(t());
        const actor = await caller(t(), actorRole);
        for (const [action, method, suffix, body] of actions) {
          const sa = await createServiceAccount(owner.call, { role: targetRole });
          if (action === 'reactivate') await owner.call('POST', `/api/v1/service-accounts/${sa.id}/deactivate`);
          const response = await actor.call(method, `/api/v1/service-accounts/${sa.id}${suffix}`, body);
          const expected = allowed[actorRole][targetRole] ? (action === 'remove' ? 204 : 200) : 403;
          expect(response.statusCode, `${actorRole} ${action} ${targetRole}: ${response.body}`).toBe(expected);
          if (expected === 403) {
            expect(response.json().code).toBe('forbidden');
            const denied = await auditEventsAbout(t(), sa.id);
            expect(denied.at(-1)?.outcome).toBe('denied');
          }
        }
        const list = await actor.call('GET', '/api/v1/service-accounts');
        expect(list.statusCode).toBe(actorRole === 'member' ? 403 : 200);
      });
    }
  }

  it('lets only Owners create an Admin service account, a never-expiring token, or promote to Admin', async () => {
    const owner = await caller(t());
    const admin = await caller(t(), 'admin');
    const member = await caller(t(), 'member');
    expect((await admin.call('POST', '/api/v1/service-accounts', { name: saName(), role: 'admin' })).statusCode).toBe(403);
    const forever = await admin.call('POST', '/api/v1/service-accounts', { name: saName(), role: 'member', expiresInDays: null });
    expect(forever.statusCode).toBe(403);
    expect(forever.json().detail).toContain('never expires');
    expect((await member.call('POST', '/api/v1/service-accounts', { name: saName(), role: 'member' })).statusCode).toBe(403);
    expect((await owner.call('POST', '/api/v1/service-accounts', { name: saName(), role: 'owner' })).json().code).toBe('validation_failed');

    const ownerMade = await createServiceAccount(owner.call, { role: 'admin', expiresInDays: null });
    expect(ownerMade.body.serviceAccount.token.expiresAt).toBeNull();
    expect(ownerMade.body.serviceAccount.abilities).toMatchObject({
      edit: true,
      neverExpiringToken: true,
      allowedRoles: ['admin', 'member'],
    });

    const adminMade = await createServiceAccount(admin.call, { role: 'member', expiresInDays: 365 });
    const promote = await admin.call('PATCH', `/api/v1/service-accounts/${adminMade.id}`, { role: 'admin' });
    expect(promote.statusCode).toBe(403);
    const forever2 = await admin.call('POST', `/api/v1/service-accounts/${adminMade.id}/token`, { expiresInDays: null });
    expect(forever2.statusCode).toBe(403);
    const shown = (await admin.call('GET', `/api/v1/service-accounts/${adminMade.id}`)).json();
    expect(shown.abilities).toMatchObject({ edit: true, allowedRoles: ['member'], neverExpiringToken: false, regenerateToken: true });
    expect((await owner.call('PATCH', `/api/v1/service-accounts/${adminMade.id}`, { role: 'admin' })).json().role).toBe('admin');
    // Now an Admin service account: out of the Admin's reach.
    expect((await admin.call('POST', `/api/v1/service-accounts/${adminMade.id}/token`, {})).statusCode).toBe(403);
  });

  it('counts the group role: an Admin cannot manage a Member service account that a group made Admin', async () => {
    const owner = await caller(t());
    const admin = await caller(t(), 'admin');
    const sa = await createServiceAccount(owner.call, { role: 'member' });
    const group = (await owner.call('POST', '/api/v1/groups', { name: saName('ops'), role: 'admin' })).json() as { id: string };
    expect((await owner.call('PUT', `/api/v1/groups/${group.id}/members/${sa.id}`)).statusCode).toBe(200);
    expect((await owner.call('GET', `/api/v1/service-accounts/${sa.id}`)).json().effectiveRole).toBe('admin');
    expect((await admin.call('POST', `/api/v1/service-accounts/${sa.id}/deactivate`)).statusCode).toBe(403);
  });

  it('lets an Admin service account manage Member ones, never itself, and never its own token', async () => {
    const owner = await caller(t());
    const adminSa = await createServiceAccount(owner.call, { role: 'admin' });
    const asSa = withToken(t(), adminSa.token);
    const made = await createServiceAccount(asSa, { role: 'member' });
    expect(made.body.serviceAccount.createdBy).toEqual({ id: adminSa.id, name: adminSa.name });
    expect((await asSa('POST', `/api/v1/service-accounts/${made.id}/deactivate`)).statusCode).toBe(200);

    const own = await asSa('POST', `/api/v1/service-accounts/${adminSa.id}/token`, {});
    expect(own.statusCode).toBe(403);
    expect((await asSa('POST', `/api/v1/service-accounts/${adminSa.id}/deactivate`)).statusCode).toBe(403);
    expect((await asSa('POST', '/api/v1/me/token', { currentPassword: 'anything-at-all' })).statusCode).toBe(403);
    expect((await asSa('PATCH', '/api/v1/me', { username: saName() })).statusCode).toBe(403);
    expect((await asSa('POST', '/api/v1/auth/password', { currentPassword: 'x', newPassword: 'y'.repeat(20) })).statusCode).toBe(403);
    // The refused token change did not change the token.
    expect((await asSa('GET', '/api/v1/me')).statusCode).toBe(200);
  });

  it('cannot log in: its name answers exactly as an unknown name does, and never locks', async () => {
    const owner = await caller(t());
    const sa = await createServiceAccount(owner.call);
    const asSa = await postLogin(t().app, sa.name, 'some-password-123');
    const unknown = await postLogin(t().app, `nobody-${saName()}`, 'some-password-123');
    expect(asSa.statusCode).toBe(401);
    expect(asSa.json().code).toBe('invalid_credentials');
    expect(asSa.json()).toEqual({ ...unknown.json(), instance: asSa.json().instance });
    const row = await t()
      .services.database.db.selectFrom('users')
      .select(['failed_login_count'])
      .where('id', '=', sa.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.failed_login_count)).toBe(0);
    expect(await t().services.database.db.selectFrom('credentials').select('user_id').where('user_id', '=', sa.id).execute()).toEqual([]);
  });

  it('takes names from the username namespace: taken by a person or a service account → 409 name_taken; reserved → 400', async () => {
    const owner = await caller(t());
    const person = await buildMember(t());
    const taken = await owner.call('POST', '/api/v1/service-accounts', { name: person.user.username, role: 'member' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('name_taken');
    const sa = await createServiceAccount(owner.call);
    expect((await owner.call('POST', '/api/v1/service-accounts', { name: sa.name.toUpperCase(), role: 'member' })).json().code).toBe(
      'name_taken',
    );
    const reserved = await owner.call('POST', '/api/v1/service-accounts', { name: 'settings', role: 'member' });
    expect(reserved.statusCode).toBe(400);
    expect(reserved.json().code).toBe('invalid_username');
    const other = await createServiceAccount(owner.call);
    expect((await owner.call('PATCH', `/api/v1/service-accounts/${other.id}`, { name: sa.name })).json().code).toBe('name_taken');
    // A person cannot take a service account's name either.
    const asPerson = await owner.call('POST', '/api/v1/people', { accounts: [{ email: `${saName()}@example.com`, username: sa.name }] });
    expect(asPerson.json().results[0].status).toBe('failed');
  });

  it('refuses people routes on a service account (no password to reset, no email)', async () => {
    const owner = await caller(t());
    const sa = await createServiceAccount(owner.call);
    expect((await owner.call('POST', `/api/v1/people/${sa.id}/password-reset`, {})).statusCode).toBe(404);
    expect((await owner.call('PUT', `/api/v1/people/${sa.id}/role`, { role: 'admin' })).statusCode).toBe(404);
    expect((await owner.call('DELETE', `/api/v1/people/${sa.id}`)).statusCode).toBe(404);
    expect((await owner.call('GET', `/api/v1/people/${sa.id}`)).statusCode).toBe(404);
  });

  it('refuses the offline password reset (roster admin reset-password) for a service account, writing nothing', async () => {
    const owner = await caller(t());
    const sa = await createServiceAccount(owner.call);
    const db = t().services.database.db;
    await expect(resetPasswordOffline(t().cliContext(), sa.name)).rejects.toMatchObject({ code: 'not_found' });
    expect(await db.selectFrom('credentials').select('user_id').where('user_id', '=', sa.id).execute()).toEqual([]);
    const row = await db.selectFrom('users').select('must_change_password').where('id', '=', sa.id).executeTakeFirstOrThrow();
    expect(Number(row.must_change_password)).toBe(0);
    expect(await auditEventsAbout(t(), sa.id, 'user.password_reset')).toEqual([]);
    expect((await withToken(t(), sa.token)('GET', '/api/v1/me')).statusCode).toBe(200);
  });
});
