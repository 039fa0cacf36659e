import { expect, it } from 'vitest';
import { passkeyChallengesPerMinute } from '../../../src/server/routes/auth/webauthn.js';
import { describeEachDatabase } from '../../support/databases.js';
import { testSecretKeyEnv } from '../../support/mfa.js';
import { useTestApp } from '../../support/test-app.js';

// docs/product/security-settings.md#security-keys-and-passkeys: asking for a passkey-login challenge needs no
// credential and writes a row, so one address gets a budget of them per sliding minute.
describeEachDatabase('passkey login: challenges per address', (dialect) => {
  const t = useTestApp(dialect, { env: { ROSTER_PUBLIC_URL: 'http://localhost:3000', ...testSecretKeyEnv } });

  const challengeFrom = (remoteAddress: string) => t().app.inject({ method: 'POST', url: '/api/v1/auth/passkey/options', remoteAddress });

  it('answers a burst from one address beyond the budget with 429 rate_limited and Retry-After, and no other address', async () => {
    const burst = [];
    for (let n = 0; n <= passkeyChallengesPerMinute; n++) burst.push(await challengeFrom('10.7.7.7'));
    const statuses = burst.map((answer) => answer.statusCode);
    expect(statuses.slice(0, passkeyChallengesPerMinute).every((status) => status === 200)).toBe(true);
    const refused = burst.at(-1);
    expect(refused?.statusCode).toBe(429);
    expect(refused?.json().code).toBe('rate_limited');
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
    // The refused call wrote no challenge.
    const challenges = await t()
      .services.database.db.selectFrom('webauthn_challenges')
      .select('purpose')
      .where('purpose', '=', 'passkey')
      .execute();
    expect(challenges).toHaveLength(passkeyChallengesPerMinute);

    expect((await challengeFrom('10.7.7.8')).statusCode).toBe(200);
    t().clock.advance(60_000);
    expect((await challengeFrom('10.7.7.7')).statusCode).toBe(200);
  });
});
