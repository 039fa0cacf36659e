import { expect, it } from 'vitest';
import { passkeyChallengesPerMinute } from '../../src/server/routes/auth/webauthn.js';
import { describeEachDatabase } from '../support/databases.js';
import { buildMember } from '../support/factories.js';
import { enableTotp, passwordStep, secondFactorStep, testSecretKeyEnv, totpCode } from '../support/mfa.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { useTestApp } from '../support/test-app.js';

/** The value of one series in a /metrics text (`name` or `name{label="value"}`), 0 when it is absent. */
function seriesValue(text: string, series: string): number {
  const escaped = series.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${escaped} (\\d+(?:\\.\\d+)?)$`, 'm').exec(text);
  return Number(match?.[1] ?? 0);
}

const failures = (reason: string) => `roster_login_failures_total{reason="${reason}"}`;
const lockouts = 'roster_login_lockouts_total';
const secondFactorFailures = 'roster_second_factor_failures_total';
const rateLimited = (limit: string) => `roster_rate_limited_total{limit="${limit}"}`;

/**
 * docs/product/running.md#health-and-metrics — the counters operators alert on tell apart what the API answers alike:
 * failed logins by reason (a locked account answers like a wrong password), the failure that starts a lock, failed
 * second factors, and 429s by the limit that refused. Every test reads the change it caused (the app is shared).
 */
describeEachDatabase('security counters on /metrics', (dialect) => {
  const origin = 'http://localhost:3000';
  const t = useTestApp(dialect, { env: { ROSTER_PUBLIC_URL: origin, ...testSecretKeyEnv } });
  const scrape = async () => {
    const answer = await t().app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(answer.statusCode).toBe(200);
    return answer.body;
  };
  const logInFrom = (remoteAddress: string, login: string, password: string) =>
    t().app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: { login, password } });
  /** How much each series moved while `work` ran. */
  const moved = async (series: string[], work: () => Promise<void>) => {
    const before = await scrape();
    await work();
    const after = await scrape();
    return Object.fromEntries(series.map((name) => [name, seriesValue(after, name) - seriesValue(before, name)]));
  };

  it('starts every reason and limit at 0, so the first event shows in increase()', async () => {
    const text = await scrape();
    for (const reason of ['bad_credentials', 'locked', 'temporary_password', 'passkey']) expect(text).toContain(`${failures(reason)} `);
    for (const limit of ['login_address', 'passkey_challenges', 'hash_queue', 'search']) expect(text).toContain(`${rateLimited(limit)} `);
    expect(text).toMatch(/^roster_login_lockouts_total \d+$/m);
    expect(text).toMatch(/^roster_second_factor_failures_total \d+$/m);
  });

  it('counts a burst of wrong passwords as failures and, at the 5th, exactly one lockout; then refusals as locked', async () => {
    const member = await buildMember(t());
    const wrong = (remoteAddress: string) => logInFrom(remoteAddress, member.user.username, 'not the password at all');
    const watched = [failures('bad_credentials'), failures('locked'), lockouts];
    const firstFour = await moved(watched, async () => {
      for (let n = 0; n < 4; n++) expect((await wrong('10.20.0.1')).statusCode).toBe(401);
    });
    expect(firstFour).toEqual({ [failures('bad_credentials')]: 4, [failures('locked')]: 0, [lockouts]: 0 });
    // Four more at once: the 5th failure is checked and locks; the others are refused unchecked, as locked.
    const burst = await moved(watched, async () => {
      const answers = await Promise.all(Array.from({ length: 4 }, (_, n) => wrong(`10.20.1.${n + 1}`)));
      // The API still answers them all alike.
      for (const answer of answers) expect(answer.json()).toMatchObject({ status: 401, code: 'invalid_credentials' });
    });
    expect(burst).toEqual({ [failures('bad_credentials')]: 1, [failures('locked')]: 3, [lockouts]: 1 });
  });

  it('counts an unknown name as bad_credentials, like a wrong password (no enumeration through /metrics)', async () => {
    const change = await moved([failures('bad_credentials'), failures('locked')], async () => {
      expect((await logInFrom('10.20.2.1', 'nobody-by-this-name', 'whatever password')).statusCode).toBe(401);
    });
    expect(change).toEqual({ [failures('bad_credentials')]: 1, [failures('locked')]: 0 });
  });

  it('counts a wrong TOTP code at login as a failed second factor, not as a failed login', async () => {
    const user = await enableTotp(t(), await buildMember(t()));
    const now = t().clock.now();
    const accepted = new Set([-1, 0, 1].map((step) => totpCode(user.secret, now, step)));
    const wrongCode = ['000000', '111111', '222222', '333333'].find((code) => !accepted.has(code)) ?? '444444';
    const change = await moved([secondFactorFailures, failures('bad_credentials'), lockouts], async () => {
      const { answer, pending } = await passwordStep(t(), user, {});
      expect(answer.json()).toMatchObject({ secondFactorRequired: true });
      const refused = await secondFactorStep(t(), pending, { code: wrongCode });
      expect(refused.json()).toMatchObject({ status: 400, code: 'invalid_second_factor' });
    });
    expect(change).toEqual({ [secondFactorFailures]: 1, [failures('bad_credentials')]: 0, [lockouts]: 0 });
  });

  it('counts every refused passkey sign-in as a passkey failure: a key Roster does not know, a spent challenge', async () => {
    const stranger = new SoftAuthenticator(origin, 'localhost');
    stranger.create({ challenge: 'never-registered', user: { id: 'nobody' } });
    const change = await moved([failures('passkey'), failures('bad_credentials'), lockouts], async () => {
      const options = await t().app.inject({ method: 'POST', url: '/api/v1/auth/passkey/options', remoteAddress: '10.40.0.1' });
      const assertion = stranger.get(options.json().options);
      for (let n = 0; n < 2; n++) {
        const refused = await t().app.inject({
          method: 'POST',
          url: '/api/v1/auth/passkey',
          remoteAddress: '10.40.0.1',
          headers: { origin },
          payload: { credential: assertion },
        });
        expect(refused.json()).toMatchObject({ status: 401, code: 'passkey_not_accepted' });
      }
    });
    expect(change).toEqual({ [failures('passkey')]: 2, [failures('bad_credentials')]: 0, [lockouts]: 0 });
  });

  it('counts 429s by the limit that refused them: failed logins of an address (passwords, passkeys), passkey challenges', async () => {
    const loginAddress = await moved([rateLimited('login_address'), rateLimited('passkey_challenges')], async () => {
      // Ten failed logins (unknown names, so no account locks) fill the address's minute; the 11th is refused.
      for (let n = 0; n < 10; n++) expect((await logInFrom('10.30.0.1', `stranger-${n}`, 'whatever')).statusCode).toBe(401);
      expect((await logInFrom('10.30.0.1', 'stranger-10', 'whatever')).statusCode).toBe(429);
    });
    expect(loginAddress).toEqual({ [rateLimited('login_address')]: 1, [rateLimited('passkey_challenges')]: 0 });

    const challenges = await moved([rateLimited('passkey_challenges'), failures('passkey')], async () => {
      for (let n = 0; n <= passkeyChallengesPerMinute; n++) {
        await t().app.inject({ method: 'POST', url: '/api/v1/auth/passkey/options', remoteAddress: '10.30.0.2' });
      }
    });
    expect(challenges).toEqual({ [rateLimited('passkey_challenges')]: 1, [failures('passkey')]: 0 });

    // Refused passkeys fill the same failed-login budget of an address as wrong passwords.
    const stranger = new SoftAuthenticator(origin, 'localhost');
    stranger.create({ challenge: 'never-registered', user: { id: 'nobody' } });
    const passkeys = await moved([rateLimited('login_address'), failures('passkey')], async () => {
      const send = () =>
        t().app.inject({
          method: 'POST',
          url: '/api/v1/auth/passkey',
          remoteAddress: '10.30.0.3',
          headers: { origin },
          payload: { credential: stranger.get({ challenge: 'not-one-roster-made' }) },
        });
      for (let n = 0; n < 10; n++) expect((await send()).statusCode).toBe(401);
      expect((await send()).statusCode).toBe(429);
    });
    expect(passkeys).toEqual({ [rateLimited('login_address')]: 1, [failures('passkey')]: 10 });
  });
});
