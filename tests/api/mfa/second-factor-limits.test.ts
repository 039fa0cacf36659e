import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { buildMember } from '../../support/factories.js';
import { enableTotp, passwordStep, secondFactorStep, testSecretKeyEnv, totpCode } from '../../support/mfa.js';
import type { TestApp } from '../../support/test-app.js';
import { useTestApp } from '../../support/test-app.js';

/** The audit events of one account and action, oldest first. */
async function events(t: TestApp, userId: string, action: string) {
  const rows = await t.services.database.db
    .selectFrom('audit_events')
    .select(['details', 'outcome'])
    .where('target_id', '=', userId)
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
  return rows.map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));
}

const address = (n: number) => ({ remoteAddress: `10.1.${Math.floor(n / 250)}.${(n % 250) + 1}` });

// docs/product/security-settings.md#two-factor-authentication and #login-throttling: second factors count against the
// account's and the address's login limits with the same reservation as passwords, and one pending login takes 5 codes.
describeEachDatabase('2FA: wrong codes under the login limits', (dialect) => {
  const t = useTestApp(dialect, { env: testSecretKeyEnv });

  const secondFactorFrom = (pending: string | null, code: string, n: number) =>
    t().app.inject({
      method: 'POST',
      url: '/api/v1/auth/second-factor',
      headers: pending ? { cookie: pending } : {},
      payload: { code },
      ...address(n),
    });

  it('checks at most 5 of 50 wrong codes sent at once from 50 addresses, and then refuses the right one', async () => {
    const user = await enableTotp(t(), await buildMember(t()));
    // Eleven pending logins made one after the other (a right password gives its attempt back): ten for the burst,
    // one kept to try the right code afterwards.
    const pendings: Array<string | null> = [];
    for (let i = 0; i < 11; i++) pendings.push((await passwordStep(t(), user, {})).pending);
    const spare = pendings.pop() ?? null;
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, n) => secondFactorFrom(pendings[n % 10] ?? null, n % 2 ? '000000' : '999999', n)),
    );
    expect(answers.every((answer) => answer.statusCode === 400)).toBe(true);
    const failures = await events(t(), user.user.id, 'auth.second_factor_failed');
    expect(failures).toHaveLength(50);
    // Only reserved attempts were checked: the 5 free failures; every other one was refused as locked unchecked.
    expect(failures.filter((event) => event.details.reason === 'wrong_code')).toHaveLength(5);
    expect(failures.filter((event) => event.details.reason === 'locked')).toHaveLength(45);
    expect(await events(t(), user.user.id, 'auth.locked')).toHaveLength(1);
    const right = await secondFactorFrom(spare, totpCode(user.secret, t().clock.now()), 99);
    expect(right.statusCode, right.body).toBe(400);
    expect(right.json().code).toBe('invalid_second_factor');
  });

  it('lets one address send at most 10 wrong codes a minute (429 with Retry-After after that)', async () => {
    const users = await Promise.all(Array.from({ length: 4 }, async () => enableTotp(t(), await buildMember(t()))));
    const pendings = await Promise.all(users.map(async (user) => (await passwordStep(t(), user, {})).pending));
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        t().app.inject({
          method: 'POST',
          url: '/api/v1/auth/second-factor',
          headers: { cookie: pendings[n % 4] ?? '' },
          payload: { code: '000000' },
          remoteAddress: '10.9.9.9',
        }),
      ),
    );
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 400)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
    expect(answers.find((answer) => answer.statusCode === 429)?.headers['retry-after']).toBeDefined();
  });

  it('takes at most 5 codes per pending login, then asks for the password again', async () => {
    const user = await enableTotp(t(), await buildMember(t()));
    const { pending } = await passwordStep(t(), user, {});
    for (let i = 0; i < 4; i++) expect((await secondFactorFrom(pending, '000000', 200 + i)).statusCode).toBe(400);
    // The fifth code is still checked — a right one completes.
    const answers = await Promise.all(
      Array.from({ length: 3 }, (_, i) => secondFactorFrom(pending, totpCode(user.secret, t().clock.now()), 210 + i)),
    );
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 401, 401]);
    const after = await secondFactorFrom(pending, totpCode(user.secret, t().clock.now(), 1), 220);
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('unauthenticated');
  });

  it('forgets a pending login after 5 minutes and when the password changed meanwhile', async () => {
    const user = await enableTotp(t(), await buildMember(t()));
    const { pending } = await passwordStep(t(), user, {});
    t().clock.advance(5 * 60_000 + 1);
    const late = await secondFactorStep(t(), pending, { code: totpCode(user.secret, t().clock.now()) });
    expect(late.statusCode).toBe(401);

    const other = await enableTotp(t(), await buildMember(t()));
    const second = await passwordStep(t(), other, {});
    await t()
      .services.database.db.updateTable('credentials')
      .set({ password_hash: '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$ZmFrZWhhc2g' })
      .where('user_id', '=', other.user.id)
      .execute();
    const changed = await secondFactorStep(t(), second.pending, { code: totpCode(other.secret, t().clock.now()) });
    expect(changed.statusCode).toBe(401);
  });

  it('refuses a second-factor call without a pending login, or with a session cookie instead', async () => {
    const none = await secondFactorStep(t(), null, { code: '123456' });
    expect(none.statusCode).toBe(401);
    const forged = await secondFactorStep(t(), 'roster_pending_login=not-a-real-one-at-all-000000000000', { code: '123456' });
    expect(forged.statusCode).toBe(401);
  });
});
