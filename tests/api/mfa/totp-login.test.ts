import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildMember } from '../../support/factories.js';
import { enableTotp, passwordStep, secondFactorStep, testSecretKeyEnv, totpCode } from '../../support/mfa.js';
import { sessionCookieOf } from '../../support/session.js';
import { useTestApp } from '../../support/test-app.js';

// docs/product/security-settings.md#two-factor-authentication: the login of an account with an authenticator app.
describeEachDatabase('2FA: logging in with an authenticator app', (dialect) => {
  const t = useTestApp(dialect, { env: testSecretKeyEnv });

  it('answers a right password with secondFactorRequired and a pending cookie, and no session', async () => {
    const user = await enableTotp(t(), await buildMember(t()));
    const { answer, pending } = await passwordStep(t(), user);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toEqual({ secondFactorRequired: true, methods: ['totp', 'recovery_code'] });
    expect(pending).toMatch(/^roster_pending_login=/);
    expect(sessionCookieOf(answer)).toBeNull();
    const done = await secondFactorStep(t(), pending, { code: totpCode(user.secret, t().clock.now()) });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ user: { id: user.user.id }, mustChangePassword: false });
    expect(sessionCookieOf(done)).toMatch(/^roster_session=/);
  });

  it('accepts a code once, also when the same code arrives in five requests at once', async () => {
    const user = await enableTotp(t(), await buildMember(t()));
    const pendings = await Promise.all(Array.from({ length: 5 }, () => passwordStep(t(), user)));
    const code = totpCode(user.secret, t().clock.now());
    const answers = await Promise.all(pendings.map(({ pending }) => secondFactorStep(t(), pending, { code })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 400, 400, 400, 400]);
    for (const refused of answers.filter((a) => a.statusCode === 400)) expect(refused.json().code).toBe('invalid_second_factor');
  });
});
