import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildAdmin, buildApiToken, buildMember, buildOwner } from '../../support/factories.js';
import { enableTotp, logInFully, passwordStep, testSecretKeyEnv, totpCode } from '../../support/mfa.js';
import { loginAs } from '../../support/session.js';
import { useTestApp } from '../../support/test-app.js';
import { createServiceAccount, withToken } from '../service-accounts/support.js';

const day = 86_400_000;

describeEachDatabase('2FA: the policy, its grace period, and the administrator reset', (dialect) => {
  const t = useTestApp(dialect, { env: testSecretKeyEnv });

  // The Owner who changes the policy has 2FA, so that no policy of these tests restricts them.
  let policyOwner: Awaited<ReturnType<typeof enableTotp>> | undefined;
  const setPolicy = async (mfaPolicy: string, mfaGraceDays = 7) => {
    policyOwner ??= await enableTotp(t(), await buildOwner(t()));
    const client = await logInFully(t(), policyOwner);
    return client.put('/api/v1/settings/security', { mfaPolicy, mfaGraceDays });
  };

  it('lets only Owners see and change Settings → Security, audited', async () => {
    const admin = await buildAdmin(t());
    const adminToken = await buildApiToken(t(), admin.user);
    const refused = await t().app.inject({
      method: 'PUT',
      url: '/api/v1/settings/security',
      headers: { authorization: `Bearer ${adminToken}` },
      payload: { mfaPolicy: 'everyone', mfaGraceDays: 1 },
    });
    expect(refused.statusCode).toBe(403);
    // The console offers the page by the ability the server decides, on the same rule.
    const abilityOf = async (token: string) =>
      (await t().app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).json().abilities
        .manageSecuritySettings;
    expect(await abilityOf(adminToken)).toBe(false);
    expect(await abilityOf(await buildApiToken(t(), (await buildOwner(t())).user))).toBe(true);
    const changed = await setPolicy('admins', 3);
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ mfaPolicy: 'admins', mfaGraceDays: 3 });
    const events = await t()
      .services.database.db.selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'settings.security_changed')
      .execute();
    expect(events.length).toBeGreaterThan(0);
    expect((await setPolicy('none')).statusCode).toBe(200);
  });

  it('restricts Admins without 2FA after the grace period: sessions may only set it up, tokens are refused', async () => {
    const admin = await buildAdmin(t());
    const member = await buildMember(t());
    const adminToken = await buildApiToken(t(), admin.user);
    const memberToken = await buildApiToken(t(), member.user);
    await setPolicy('admins', 7);
    const session = await loginAs(t().app, admin.user.username, admin.password);
    expect((await session.get('/api/v1/people')).statusCode).toBe(200);
    expect((await session.get('/api/v1/me/mfa')).json().policy).toMatchObject({ required: true, setupRequired: false });

    t().clock.advance(7 * day + 1000);
    // (The first session timed out meanwhile; a new login gets the restricted session.)
    expect((await session.get('/api/v1/me')).statusCode).toBe(401);
    const restricted = await loginAs(t().app, admin.user.username, admin.password);
    const people = await restricted.get('/api/v1/people');
    expect(people.statusCode).toBe(403);
    expect(people.json().code).toBe('mfa_setup_required');
    const byToken = await t().app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${adminToken}` } });
    expect(byToken.json().code).toBe('mfa_setup_required');
    // A Member is out of scope.
    const memberCall = await t().app.inject({ method: 'GET', url: '/api/v1/groups', headers: { authorization: `Bearer ${memberToken}` } });
    expect(memberCall.statusCode, memberCall.body).toBe(200);
    expect((await restricted.get('/api/v1/me')).statusCode).toBe(200);
    expect((await restricted.get('/api/v1/me/mfa')).json().policy).toMatchObject({ required: true, setupRequired: true });

    // Setting 2FA up lifts the restriction at once, and turning it off is refused while the policy requires it.
    const started = await restricted.post('/api/v1/me/mfa/totp', { currentPassword: admin.password });
    expect(started.statusCode, started.body).toBe(200);
    const confirmed = await restricted.post('/api/v1/me/mfa/totp/confirm', { code: totpCode(started.json().secret, t().clock.now()) });
    expect(confirmed.statusCode).toBe(200);
    expect((await restricted.get('/api/v1/people')).statusCode).toBe(200);
    const off = await restricted.request('DELETE', '/api/v1/me/mfa/totp', {
      currentPassword: admin.password,
      secondFactor: { code: totpCode(started.json().secret, t().clock.now(), 1) },
    });
    expect(off.statusCode).toBe(403);
    expect(off.json().code).toBe('forbidden');
    await setPolicy('none');
  });

  it('never puts a service account in scope: its token keeps working under "everyone" after the grace period', async () => {
    // The Owner makes the service account before the policy changes (its own token would then be refused too).
    const ownerToken = await buildApiToken(t(), (await buildOwner(t())).user);
    const robot = await createServiceAccount(withToken(t(), ownerToken), { role: 'admin', expiresInDays: null });
    const person = await buildAdmin(t());
    const personToken = await buildApiToken(t(), person.user);
    await setPolicy('everyone', 0);
    t().clock.advance(1000);
    const asRobot = await withToken(t(), robot.token)('GET', '/api/v1/people');
    expect(asRobot.statusCode, asRobot.body).toBe(200);
    const asPerson = await withToken(t(), personToken)('GET', '/api/v1/people');
    expect(asPerson.json().code).toBe('mfa_setup_required');
    await setPolicy('none');
  });

  it('starts the grace period at the latest of the policy change, the account creation and the last reset', async () => {
    await setPolicy('everyone', 2);
    t().clock.advance(1 * day);
    const newcomer = await buildMember(t());
    const token = await buildApiToken(t(), newcomer.user);
    const call = () => t().app.inject({ method: 'GET', url: '/api/v1/groups', headers: { authorization: `Bearer ${token}` } });
    t().clock.advance(1 * day + 1000);
    // Two days after the policy, one day after the account: still inside the account's own grace period.
    expect((await call()).statusCode).toBe(200);
    t().clock.advance(1 * day);
    expect((await call()).statusCode).toBe(403);
    // An administrator reset restarts it.
    policyOwner ??= await enableTotp(t(), await buildOwner(t()));
    const owner = await logInFully(t(), policyOwner);
    expect((await owner.post(`/api/v1/people/${newcomer.user.id}/mfa-reset`)).statusCode).toBe(200);
    expect((await call()).statusCode).toBe(200);
    await setPolicy('none');
  });

  it('resets 2FA under R2: Admins reset Members, not other Admins; every factor and session goes', async () => {
    const admin = await buildAdmin(t());
    const otherAdmin = await enableTotp(t(), await buildAdmin(t()));
    const member = await enableTotp(t(), await buildMember(t()));
    const memberSession = await logInFully(t(), member);
    const adminToken = await buildApiToken(t(), admin.user);
    const reset = (id: string) =>
      t().app.inject({ method: 'POST', url: `/api/v1/people/${id}/mfa-reset`, headers: { authorization: `Bearer ${adminToken}` } });
    // The person pages offer the reset by the ability the server decides, on the same rule as the reset itself.
    const resetMfaAbility = async (id: string) =>
      (await t().app.inject({ method: 'GET', url: `/api/v1/people/${id}`, headers: { authorization: `Bearer ${adminToken}` } })).json()
        .abilities.resetMfa;
    expect(await resetMfaAbility(otherAdmin.user.id)).toBe(false);
    expect(await resetMfaAbility(member.user.id)).toBe(true);
    const refused = await reset(otherAdmin.user.id);
    expect(refused.statusCode).toBe(403);
    const done = await reset(member.user.id);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ factorsRemoved: 1, sessionsEnded: 2 });
    expect((await memberSession.get('/api/v1/me')).statusCode).toBe(401);
    const { answer } = await passwordStep(t(), member);
    expect(answer.json()).toMatchObject({ mustChangePassword: false });
    const db = t().services.database.db;
    expect(await db.selectFrom('mfa_totp').select('user_id').where('user_id', '=', member.user.id).execute()).toHaveLength(0);
    expect(await db.selectFrom('mfa_recovery_codes').select('id').where('user_id', '=', member.user.id).execute()).toHaveLength(0);
    const events = await db
      .selectFrom('audit_events')
      .select(['action', 'outcome'])
      .where('target_id', 'in', [member.user.id, otherAdmin.user.id])
      .where('action', '=', 'mfa.reset')
      .execute();
    expect(events.map((event) => event.outcome).sort()).toEqual(['denied', 'success']);
  });

  it('resets 2FA together with the password when asked (alsoResetMfa)', async () => {
    const owner = await buildOwner(t());
    const admin = await enableTotp(t(), await buildAdmin(t()));
    const ownerToken = await buildApiToken(t(), owner.user);
    const reset = await t().app.inject({
      method: 'POST',
      url: `/api/v1/people/${admin.user.id}/password-reset`,
      headers: { authorization: `Bearer ${ownerToken}` },
      payload: { alsoResetMfa: true },
    });
    expect(reset.statusCode, reset.body).toBe(200);
    const { answer } = await passwordStep(t(), { ...admin, password: reset.json().temporaryPassword });
    expect(answer.json()).toMatchObject({ mustChangePassword: true });
  });
});
