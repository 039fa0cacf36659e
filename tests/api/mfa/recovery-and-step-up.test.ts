import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildAdmin, buildApiToken, buildMember } from '../../support/factories.js';
import { enableTotp, logInFully, passwordStep, secondFactorStep, testSecretKeyEnv, totpCode } from '../../support/mfa.js';
import { useTestApp } from '../../support/test-app.js';

describeEachDatabase('2FA: recovery codes, step-up and temporary passwords', (dialect) => {
  const t = useTestApp(dialect, { env: testSecretKeyEnv });

  it('gives ten codes once, stored as HMACs, each accepted once even when sent five times at once', async () => {
    const user = await enableTotp(t(), await buildMember(t()));
    expect(user.recoveryCodes).toHaveLength(10);
    expect(new Set(user.recoveryCodes).size).toBe(10);
    for (const code of user.recoveryCodes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    const stored = await t()
      .services.database.db.selectFrom('mfa_recovery_codes')
      .select('code_mac')
      .where('user_id', '=', user.user.id)
      .execute();
    expect(stored).toHaveLength(10);
    for (const row of stored) {
      expect(row.code_mac).toMatch(/^m1\./);
      for (const code of user.recoveryCodes) expect(row.code_mac).not.toContain(code.replace('-', ''));
    }
    const code = user.recoveryCodes[0] ?? '';
    const pendings = await Promise.all(Array.from({ length: 5 }, () => passwordStep(t(), user)));
    // Typed in lower case without the hyphen: still the same code.
    const typed = code.replace('-', '').toLowerCase();
    const answers = await Promise.all(pendings.map(({ pending }) => secondFactorStep(t(), pending, { code: typed })));
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 400, 400, 400, 400]);
    const used = await t()
      .services.database.db.selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'auth.recovery_code_used')
      .where('target_id', '=', user.user.id)
      .execute();
    expect(used).toHaveLength(1);
    expect(used[0]?.details).not.toContain(typed);
    const status = await (await logInFully(t(), user)).get('/api/v1/me/mfa');
    expect(status.json()).toMatchObject({ enabled: true, recoveryCodesRemaining: 9, totp: { confirmed: true } });
  });

  it('regenerates the codes as a set: the old ones stop working', async () => {
    const user = await enableTotp(t(), await buildMember(t()));
    const client = await logInFully(t(), user);
    const fresh = await client.post('/api/v1/me/mfa/recovery-codes', {
      currentPassword: user.password,
      secondFactor: { code: totpCode(user.secret, t().clock.now()) },
    });
    expect(fresh.statusCode, fresh.body).toBe(200);
    const codes = fresh.json().recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    const { pending } = await passwordStep(t(), user);
    expect((await secondFactorStep(t(), pending, { code: user.recoveryCodes[1] })).statusCode).toBe(400);
    expect((await secondFactorStep(t(), pending, { code: codes[1] })).statusCode).toBe(200);
  });

  it('asks every currentPassword change for the second factor: mfa_required without, invalid_second_factor when wrong', async () => {
    const user = await enableTotp(t(), await buildMember(t()));
    const token = await buildApiToken(t(), user.user);
    const send = (body: unknown) =>
      t().app.inject({ method: 'POST', url: '/api/v1/me/token', headers: { authorization: `Bearer ${token}` }, payload: body as object });
    const missing = await send({ currentPassword: user.password });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().code).toBe('mfa_required');
    const wrong = await send({ currentPassword: user.password, secondFactor: { code: '000000' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('invalid_second_factor');
    const code = totpCode(user.secret, t().clock.now());
    const right = await send({ currentPassword: user.password, secondFactor: { code } });
    expect(right.statusCode, right.body).toBe(200);
    // The code is spent: the same one cannot be used again, here or at login.
    const again = await t().app.inject({
      method: 'POST',
      url: '/api/v1/me/token',
      headers: { authorization: `Bearer ${right.json().token}` },
      payload: { currentPassword: user.password, secondFactor: { code } },
    });
    expect(again.statusCode).toBe(400);
    const { pending } = await passwordStep(t(), user);
    expect((await secondFactorStep(t(), pending, { code })).statusCode).toBe(400);

    t().clock.advance(30_000);
    const client = await logInFully(t(), user);
    const email = await client.post('/api/v1/me/email', { email: 'stepped-up@example.com', currentPassword: user.password });
    expect(email.json().code).toBe('mfa_required');
    const password = await client.post('/api/v1/auth/password', {
      currentPassword: user.password,
      newPassword: 'a brand new passphrase 77',
    });
    expect(password.json().code).toBe('mfa_required');
    const off = await client.request('DELETE', '/api/v1/me/mfa/totp', { currentPassword: user.password });
    expect(off.json().code).toBe('mfa_required');
  });

  it('turns 2FA off with the password and a code; recovery codes go with it and the login is one step again', async () => {
    const user = await enableTotp(t(), await buildMember(t()));
    const client = await logInFully(t(), user);
    const off = await client.request('DELETE', '/api/v1/me/mfa/totp', {
      currentPassword: user.password,
      secondFactor: { code: totpCode(user.secret, t().clock.now()) },
    });
    expect(off.statusCode, off.body).toBe(204);
    const remaining = await t()
      .services.database.db.selectFrom('mfa_recovery_codes')
      .select('id')
      .where('user_id', '=', user.user.id)
      .execute();
    expect(remaining).toHaveLength(0);
    const { answer } = await passwordStep(t(), user);
    expect(answer.json()).toMatchObject({ mustChangePassword: false });
    const actions = await t()
      .services.database.db.selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', user.user.id)
      .where('action', 'like', 'mfa.%')
      .orderBy('seq')
      .execute();
    expect(actions.map((row) => row.action)).toEqual(['mfa.enabled', 'mfa.disabled']);
  });

  it('spends a temporary password only when the second factor completes: a wrong code does not burn it', async () => {
    const user = await enableTotp(t(), await buildMember(t()));
    const admin = await buildAdmin(t());
    const adminToken = await buildApiToken(t(), admin.user);
    const reset = await t().app.inject({
      method: 'POST',
      url: `/api/v1/people/${user.user.id}/password-reset`,
      headers: { authorization: `Bearer ${adminToken}` },
      payload: {},
    });
    expect(reset.statusCode, reset.body).toBe(200);
    const temporary = { ...user, password: reset.json().temporaryPassword as string };
    const first = await passwordStep(t(), temporary);
    expect(first.answer.json().secondFactorRequired).toBe(true);
    expect((await secondFactorStep(t(), first.pending, { code: '000000' })).statusCode).toBe(400);
    const credential = () =>
      t().services.database.db.selectFrom('credentials').select('used_at').where('user_id', '=', user.user.id).executeTakeFirstOrThrow();
    expect((await credential()).used_at).toBeNull();
    // Two pending logins with the same temporary password: one completes, the other finds it spent.
    const second = await passwordStep(t(), temporary);
    const done = await secondFactorStep(t(), first.pending, { code: totpCode(user.secret, t().clock.now()) });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().mustChangePassword).toBe(true);
    expect((await credential()).used_at).not.toBeNull();
    t().clock.advance(30_000);
    expect((await secondFactorStep(t(), second.pending, { code: totpCode(user.secret, t().clock.now()) })).statusCode).toBe(400);
  });
});
