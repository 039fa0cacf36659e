import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase } from '../support/databases.js';
import { buildMember, factoryPassword } from '../support/factories.js';
import { testSecretKeyEnv } from '../support/mfa.js';
import {
  createListeningTestApp,
  discoverRoster,
  headerOf,
  insertTestApplication,
  type Jwk,
  type ListeningTestApp,
  signInThroughRoster,
  TestBrowser,
  verifiesAgainst,
} from '../support/oidc.js';
import { runRosterAsync as runRoster } from '../support/processes.js';

// Every CLI call is a fresh Node process (about 1–4 s on two busy cores).
const slow = 240_000;

describeEachDatabase('roster oidc rotate-keys', (dialect) => {
  let roster: ListeningTestApp;
  const env = () => ({ ROSTER_DATABASE_URL: roster.services.config.database.url, ...testSecretKeyEnv });
  const jwks = async () => ((await (await fetch(`${roster.base}/oidc/jwks`)).json()) as { keys: Jwk[] }).keys;

  beforeAll(async () => {
    roster = await createListeningTestApp(dialect);
  }, 60_000);
  afterAll(async () => {
    await roster?.close();
  });

  it(
    'puts new keys first in the JWKS of a running server without a restart, keeps the old one, and signs new ID tokens with the new key',
    async () => {
      await buildMember(roster, { username: 'rotate-ann' });
      const application = await insertTestApplication(roster.services, { firstParty: true });
      const config = await discoverRoster(roster.base, application);
      const browser = new TestBrowser(roster.base);
      await browser.logIn('rotate-ann', factoryPassword);
      const before = await signInThroughRoster(config, browser, application, { consent: false });
      const oldIdToken = before.tokens.id_token ?? '';
      const oldKid = headerOf(oldIdToken).kid;
      expect((await jwks())[0]).toMatchObject({ kid: oldKid, alg: 'ES256' });

      const rotated = await runRoster(['oidc', 'rotate-keys', '--json'], env());
      expect(rotated.code, rotated.stderr).toBe(0);
      const result = JSON.parse(rotated.stdout) as { signingKeys: Array<{ id: string; alg: string }>; oldKeysShownUntil: string };
      expect(result.signingKeys.map((key) => key.alg)).toEqual(['ES256', 'RS256']);
      const newKid = result.signingKeys[0]?.id;
      expect(newKid).not.toBe(oldKid);
      expect(Date.parse(result.oldKeysShownUntil) - Date.now()).toBeGreaterThan(23 * 3600_000);

      // The running server rebuilds its provider on the new key version (checked at most once a second).
      await expect.poll(async () => (await jwks())[0]?.kid, { timeout: 5_000, interval: 200 }).toBe(newKid);
      const keys = await jwks();
      expect(keys.map((key) => key.kid)).toEqual(expect.arrayContaining([newKid, oldKid, result.signingKeys[1]?.id]));
      expect(keys.filter((key) => key.alg === 'ES256')).toHaveLength(2);
      expect(keys.every((key) => key.d === undefined)).toBe(true);

      // A relying party still verifies the ID token signed before the rotation …
      expect(verifiesAgainst(oldIdToken, keys)).toBe(true);
      // … and a new sign-in's ID token carries the new key.
      const after = await signInThroughRoster(config, browser, application, { consent: false });
      const newIdToken = after.tokens.id_token ?? '';
      expect(headerOf(newIdToken).kid).toBe(newKid);
      expect(verifiesAgainst(newIdToken, keys)).toBe(true);

      const audited = await roster.services.database.db
        .selectFrom('audit_events')
        .select(['actor_type', 'details'])
        .where('action', '=', 'oidc.keys_rotated')
        .execute();
      expect(audited).toHaveLength(1);
      expect(audited[0]?.actor_type).toBe('cli');

      const human = await runRoster(['oidc', 'rotate-keys'], env());
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toMatch(/^ES256 +\S+$/m);
      expect(human.stdout).toContain('The old keys stay in the JWKS until');
    },
    slow,
  );

  if (dialect === 'postgres') {
    it(
      'refuses without a secret key, with the message and exit code of every feature that needs one',
      async () => {
        const keyless = await createTestDatabase('postgres', { migrated: true });
        try {
          const refused = await runRoster(['oidc', 'rotate-keys'], { ROSTER_DATABASE_URL: keyless.config.url });
          expect(refused.code).toBe(1);
          expect(refused.stderr).toContain(
            'The OpenID Connect provider needs a secret key, and this server has none: set ROSTER_SECRET_KEY',
          );
          expect(refused.stderr).toContain('(secret_key_missing)');
          const asJson = await runRoster(['oidc', 'rotate-keys', '--json'], { ROSTER_DATABASE_URL: keyless.config.url });
          expect(asJson.code).toBe(1);
          // The error is the JSON line on stderr (on Node 20 oidc-provider prints a runtime warning line before it).
          const errorLine = asJson.stderr.split('\n').find((line) => line.startsWith('{')) ?? '';
          expect(JSON.parse(errorLine)).toMatchObject({ error: { code: 'secret_key_missing' } });
        } finally {
          await keyless.drop();
        }
      },
      slow,
    );
  }
});
