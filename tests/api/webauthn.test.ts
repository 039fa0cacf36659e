import { describe, expect, it } from 'vitest';
import { checkWebAuthnDomain } from '../../src/domain/mfa/check-webauthn-domain.js';
import { describeEachDatabase } from '../support/databases.js';
import { buildMember } from '../support/factories.js';
import { passwordStep, secondFactorStep, testSecretKeyEnv } from '../support/mfa.js';
import { loginAs, type SessionClient } from '../support/session.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { createTestApp, useTestApp } from '../support/test-app.js';

const origin = 'http://localhost:3000';

// docs/product/security-settings.md#security-keys-and-passkeys: registration, passkey login, challenges single use and
// short-lived, on both databases. The ceremony in a real browser is tests/e2e/webauthn.e2e.test.ts.
describeEachDatabase('WebAuthn security keys and passkeys', (dialect) => {
  const t = useTestApp(dialect, { env: { ROSTER_PUBLIC_URL: origin, ...testSecretKeyEnv } });

  async function member() {
    const person = await buildMember(t());
    const client = await loginAs(t().app, person.user.username, person.password);
    return { person, client, authenticator: new SoftAuthenticator(origin, 'localhost') };
  }

  /** `secondFactor: { webauthn }` made with one of the person's keys for a change. */
  async function confirmation(client: SessionClient, authenticator: SoftAuthenticator) {
    const options = await client.post('/api/v1/me/mfa/webauthn/confirmation-options');
    expect(options.statusCode, options.body).toBe(200);
    return { webauthn: authenticator.get(options.json().options) };
  }

  async function register(client: SessionClient, authenticator: SoftAuthenticator, password: string, name = 'YubiKey') {
    const secondFactor = authenticator.credentials.length > 0 ? await confirmation(client, authenticator) : undefined;
    const options = await client.post('/api/v1/me/mfa/webauthn/options', {
      currentPassword: password,
      ...(secondFactor ? { secondFactor } : {}),
    });
    expect(options.statusCode, options.body).toBe(200);
    const credential = authenticator.create(options.json().options);
    return client.post('/api/v1/me/mfa/webauthn', { name, credential });
  }

  async function passkeyOptions() {
    const answer = await t().app.inject({ method: 'POST', url: '/api/v1/auth/passkey/options' });
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json().options as { challenge: string; rpId: string; userVerification: string; allowCredentials: unknown[] };
  }

  const passkeyLogin = (credential: unknown) =>
    t().app.inject({ method: 'POST', url: '/api/v1/auth/passkey', payload: { credential }, headers: { origin } });

  it('asks for the current password before it hands out creation options', async () => {
    const { client } = await member();
    const missing = await client.post('/api/v1/me/mfa/webauthn/options', {});
    expect(missing.statusCode).toBe(403);
    expect(missing.json().code).toBe('invalid_current_password');
    const wrong = await client.post('/api/v1/me/mfa/webauthn/options', { currentPassword: 'not my password at all' });
    expect(wrong.json().code).toBe('invalid_current_password');
  });

  it('registers named keys, several per person, bound to the public URL as relying party', async () => {
    const { person, client, authenticator } = await member();
    const options = await client.post('/api/v1/me/mfa/webauthn/options', { currentPassword: person.password });
    const body = options.json().options;
    expect(body.rp).toEqual({ name: 'Roster', id: 'localhost' });
    expect(body.attestation).toBe('none');
    expect(body.authenticatorSelection).toMatchObject({ residentKey: 'preferred', userVerification: 'preferred' });
    expect(Buffer.from(body.user.id, 'base64url').toString('utf8')).toBe(person.user.id);
    const first = await client.post('/api/v1/me/mfa/webauthn', { name: 'YubiKey', credential: authenticator.create(body) });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().credential).toMatchObject({ name: 'YubiKey', kind: 'passkey', lastUsedAt: null });
    // The first key turns 2FA on: the ten recovery codes, shown once.
    expect(first.json().recoveryCodes).toHaveLength(10);
    const status = await client.get('/api/v1/me/mfa');
    expect(status.json()).toMatchObject({ enabled: true, methods: expect.arrayContaining(['webauthn', 'recovery_code']) });
    t().clock.advance(1000);
    // From now on a change needs a second factor: without one it is refused, with the key it goes through.
    const bare = await client.post('/api/v1/me/mfa/webauthn/options', { currentPassword: person.password });
    expect(bare.statusCode).toBe(403);
    expect(bare.json().code).toBe('mfa_required');
    const second = await register(client, authenticator, person.password, 'A laptop');
    expect(second.statusCode).toBe(201);
    expect(second.json().recoveryCodes).toEqual([]);

    const listed = await client.get('/api/v1/me/mfa/webauthn');
    expect(listed.json()).toMatchObject({ available: true, relyingPartyId: 'localhost', unavailableReason: null });
    expect(listed.json().items.map((key: { name: string }) => key.name)).toEqual(['YubiKey', 'A laptop']);
    // The next options exclude both keys, so an authenticator does not register twice.
    const again = await client.post('/api/v1/me/mfa/webauthn/options', {
      currentPassword: person.password,
      secondFactor: await confirmation(client, authenticator),
    });
    expect(again.json().options.excludeCredentials).toHaveLength(2);
  });

  it('accepts each registration challenge once, also when the same answer arrives several times at once', async () => {
    const { person, client, authenticator } = await member();
    const options = await client.post('/api/v1/me/mfa/webauthn/options', { currentPassword: person.password });
    const credential = authenticator.create(options.json().options);
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => client.post('/api/v1/me/mfa/webauthn', { name: `Key ${i}`, credential })),
    );
    expect(answers.filter((answer) => answer.statusCode === 201)).toHaveLength(1);
    for (const refused of answers.filter((answer) => answer.statusCode !== 201)) expect(refused.json().code).toBe('webauthn_failed');
    expect((await client.get('/api/v1/me/mfa/webauthn')).json().items).toHaveLength(1);
  });

  it('refuses a registration challenge after five minutes, and one issued to somebody else', async () => {
    const { person, client, authenticator } = await member();
    const options = await client.post('/api/v1/me/mfa/webauthn/options', { currentPassword: person.password });
    t().clock.advanceMinutes(5);
    const late = await client.post('/api/v1/me/mfa/webauthn', { name: 'Late', credential: authenticator.create(options.json().options) });
    expect(late.statusCode).toBe(400);
    expect(late.json().code).toBe('webauthn_failed');

    const other = await member();
    const foreign = await client.post('/api/v1/me/mfa/webauthn/options', { currentPassword: person.password });
    const stolen = await other.client.post('/api/v1/me/mfa/webauthn', {
      name: 'Stolen',
      credential: other.authenticator.create(foreign.json().options),
    });
    expect(stolen.json().code).toBe('webauthn_failed');
    expect((await other.client.get('/api/v1/me/mfa/webauthn')).json().items).toHaveLength(0);
  });

  it('signs in with a passkey as one complete login, and each passkey challenge works once', async () => {
    const { person, client, authenticator } = await member();
    expect((await register(client, authenticator, person.password)).statusCode).toBe(201);
    const methods = await t().app.inject({ method: 'GET', url: '/api/v1/auth/login-methods' });
    expect(methods.json()).toEqual({ password: true, passkey: true, identityProviders: [], passwordLogin: 'everyone' });
    const options = await passkeyOptions();
    expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'required', allowCredentials: [] });
    const assertion = authenticator.get(options);
    const answers = await Promise.all(Array.from({ length: 4 }, () => passkeyLogin(assertion)));
    const ok = answers.filter((answer) => answer.statusCode === 200);
    expect(ok).toHaveLength(1);
    expect(ok[0]?.json()).toMatchObject({ user: { id: person.user.id }, mustChangePassword: false });
    for (const refused of answers.filter((answer) => answer.statusCode !== 200)) expect(refused.json().code).toBe('passkey_not_accepted');
    const cookie = String(ok[0]?.headers['set-cookie']).split(';')[0] ?? '';
    const me = await t().app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.json().user.username).toBe(person.user.username);
    const listed = await client.get('/api/v1/me/mfa/webauthn');
    expect(listed.json().items[0].lastUsedAt).not.toBeNull();
  });

  it("refuses a Member's passkey while SSO is required (docs/sso.md#requiring-sso)", async () => {
    const { person, client, authenticator } = await member();
    expect((await register(client, authenticator, person.password)).statusCode).toBe(201);
    const db = t().services.database.db;
    await db.updateTable('security_settings').set({ require_sso: 1 }).execute();
    try {
      const refused = await passkeyLogin(authenticator.get(await passkeyOptions()));
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('sso_required');
      expect(refused.headers['set-cookie']).toBeUndefined();
    } finally {
      await db.updateTable('security_settings').set({ require_sso: 0 }).execute();
    }
  });

  it('refuses a passkey login without user verification, from another origin, or after the challenge expired', async () => {
    const { person, client, authenticator } = await member();
    await register(client, authenticator, person.password);
    const unverified = await passkeyLogin(authenticator.get(await passkeyOptions(), { userVerified: false }));
    expect(unverified.statusCode).toBe(401);
    expect(unverified.json().code).toBe('passkey_not_accepted');
    const phishing = await passkeyLogin(authenticator.get(await passkeyOptions(), { origin: 'http://localhost.evil.example' }));
    expect(phishing.json().code).toBe('passkey_not_accepted');
    const options = await passkeyOptions();
    t().clock.advanceMinutes(5);
    const late = await passkeyLogin(authenticator.get(options));
    expect(late.json().code).toBe('passkey_not_accepted');
    const failures = await t()
      .services.database.db.selectFrom('audit_events')
      .select('details')
      .where('target_id', '=', person.user.id)
      .where('action', '=', 'auth.login_failed')
      .execute();
    expect(failures.map((event) => JSON.parse(String(event.details)).reason).sort()).toEqual([
      'passkey_not_verified',
      'passkey_not_verified',
    ]);
  });

  it('gives a person who must change their password only a restricted session through a passkey', async () => {
    const { person, client, authenticator } = await member();
    await register(client, authenticator, person.password);
    await t().services.database.db.updateTable('users').set({ must_change_password: 1 }).where('id', '=', person.user.id).execute();
    const login = await passkeyLogin(authenticator.get(await passkeyOptions()));
    expect(login.statusCode).toBe(200);
    expect(login.json().mustChangePassword).toBe(true);
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const people = await t().app.inject({ method: 'GET', url: '/api/v1/projects', headers: { cookie } });
    expect(people.statusCode).toBe(403);
    expect(people.json().code).toBe('password_change_required');
  });

  it('renames and removes keys with the current password and the key itself, and audits it', async () => {
    const { person, client, authenticator } = await member();
    const created = (await register(client, authenticator, person.password)).json().credential;
    const noPassword = await client.patch(`/api/v1/me/mfa/webauthn/${created.id}`, { name: 'Blue key' });
    expect(noPassword.json().code).toBe('invalid_current_password');
    const noFactor = await client.patch(`/api/v1/me/mfa/webauthn/${created.id}`, { name: 'Blue key', currentPassword: person.password });
    expect(noFactor.json().code).toBe('mfa_required');
    const secondFactor = await confirmation(client, authenticator);
    const renamed = await client.patch(`/api/v1/me/mfa/webauthn/${created.id}`, {
      name: 'Blue key',
      currentPassword: person.password,
      secondFactor,
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().name).toBe('Blue key');
    // The same assertion does not confirm a second change.
    const replay = await client.request('DELETE', `/api/v1/me/mfa/webauthn/${created.id}`, {
      currentPassword: person.password,
      secondFactor,
    });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().code).toBe('invalid_second_factor');
    const removed = await client.request('DELETE', `/api/v1/me/mfa/webauthn/${created.id}`, {
      currentPassword: person.password,
      secondFactor: await confirmation(client, authenticator),
    });
    expect(removed.statusCode, removed.body).toBe(204);
    // That was the last factor: 2FA is off again, and the removed passkey no longer signs in.
    expect((await client.get('/api/v1/me/mfa')).json()).toMatchObject({ enabled: false, recoveryCodesRemaining: 0 });
    const login = await passkeyLogin(authenticator.get(await passkeyOptions()));
    expect(login.json().code).toBe('passkey_not_accepted');
    const events = await t()
      .services.database.db.selectFrom('audit_events')
      .select(['action', 'outcome'])
      .where('target_id', '=', person.user.id)
      .where('action', 'like', 'mfa.%')
      .where('outcome', '=', 'success')
      .orderBy('seq')
      .execute();
    expect(events.map((event) => event.action)).toEqual(['mfa.enabled', 'mfa.factor_renamed', 'mfa.disabled']);
  });

  it('finishes a password login with a security key, each assertion once', async () => {
    const { person, client, authenticator } = await member();
    await register(client, authenticator, person.password);
    const noPending = await t().app.inject({ method: 'POST', url: '/api/v1/auth/second-factor/options' });
    expect(noPending.statusCode).toBe(401);
    const { answer, pending } = await passwordStep(t(), person);
    expect(answer.json()).toMatchObject({ secondFactorRequired: true, methods: expect.arrayContaining(['webauthn']) });
    const options = await t().app.inject({
      method: 'POST',
      url: '/api/v1/auth/second-factor/options',
      headers: { cookie: pending ?? '' },
    });
    expect(options.statusCode, options.body).toBe(200);
    expect(options.json().options.allowCredentials).toHaveLength(1);
    const webauthn = authenticator.get(options.json().options);
    const answers = await Promise.all(Array.from({ length: 3 }, () => secondFactorStep(t(), pending, { webauthn })));
    expect(answers.filter((done) => done.statusCode === 200)).toHaveLength(1);
    const session = answers.find((done) => done.statusCode === 200);
    expect(session?.json()).toMatchObject({ user: { id: person.user.id }, mustChangePassword: false });

    // Another person's key does not finish this person's login.
    const other = await member();
    await register(other.client, other.authenticator, other.person.password);
    const second = await passwordStep(t(), person);
    const mine = await t().app.inject({
      method: 'POST',
      url: '/api/v1/auth/second-factor/options',
      headers: { cookie: second.pending ?? '' },
    });
    const foreign = other.authenticator.get(mine.json().options);
    const refused = await secondFactorStep(t(), second.pending, { webauthn: foreign });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('invalid_second_factor');
  });

  it('makes roster doctor warn when the public URL moved away from the domain keys were registered for', async () => {
    const { person, client, authenticator } = await member();
    await register(client, authenticator, person.password);
    const here = await checkWebAuthnDomain(t().cliContext());
    expect(here.ok).toBe(true);
    const moved = { ...t().cliContext(), config: { ...t().services.config, publicUrl: new URL('https://roster.example.org') } };
    const check = await checkWebAuthnDomain(moved);
    expect(check.ok).toBe(false);
    expect(check.detail).toMatch(/for localhost, but ROSTER_PUBLIC_URL is https:\/\/roster\.example\.org/);
  });

  it("does not touch another person's key", async () => {
    const { person, client, authenticator } = await member();
    const created = (await register(client, authenticator, person.password)).json().credential;
    const other = await member();
    const rename = await other.client.patch(`/api/v1/me/mfa/webauthn/${created.id}`, {
      name: 'Mine now',
      currentPassword: other.person.password,
    });
    expect(rename.statusCode).toBe(404);
    const remove = await other.client.request('DELETE', `/api/v1/me/mfa/webauthn/${created.id}`, {
      currentPassword: other.person.password,
    });
    expect(remove.statusCode).toBe(404);
  });
});

describe('WebAuthn availability', () => {
  it('is not offered when ROSTER_PUBLIC_URL is an IP address, and the answer says why', async () => {
    const t = await createTestApp('sqlite', { env: { ROSTER_PUBLIC_URL: 'http://127.0.0.1:3000' } });
    try {
      const client = await loginAs(t.app, t.owner.user.username, t.owner.password);
      const listed = await client.get('/api/v1/me/mfa/webauthn');
      expect(listed.json()).toMatchObject({ available: false, relyingPartyId: null });
      expect(listed.json().unavailableReason).toMatch(/IP address/);
      const methods = await t.app.inject({ method: 'GET', url: '/api/v1/auth/login-methods' });
      expect(methods.json()).toEqual({ password: true, passkey: false, identityProviders: [], passwordLogin: 'everyone' });
      const options = await t.app.inject({ method: 'POST', url: '/api/v1/auth/passkey/options' });
      expect(options.statusCode).toBe(400);
      expect(options.json().code).toBe('webauthn_unavailable');
    } finally {
      await t.close();
    }
  });
});
