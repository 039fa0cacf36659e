import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAccessSubject } from '../../../src/domain/access/load-access-subject.js';
import { whyCannotMapGroups } from '../../../src/domain/access/policies/identity-provider-policy.js';
import { clientSecretField } from '../../../src/domain/identity-providers/client-secret-field.js';
import { loadIdentityProviderForLogin } from '../../../src/domain/identity-providers/load-identity-provider.js';
import { SecretDecryptionError } from '../../../src/domain/secrets/secret-keyring.js';
import { encryptedColumns, identityProviderSecretColumn } from '../../../src/storage/secrets/encrypted-columns.js';
import { describeEachDatabase, postgresAdminUrl, postgresSkipReason } from '../../support/databases.js';
import { testSecretKeyEnv } from '../../support/mfa.js';
import { createListeningTestApp, freePort, type ListeningTestApp } from '../../support/oidc.js';
import { allLogs, createTestApp, type TestApp, useTestApp } from '../../support/test-app.js';
import { caller } from '../people/support.js';

// SPEC §12.2, §12.3, §12.4, §5.9 (docs/sso.md): the registry of the identity providers people log in with, and Test
// connection, through app.inject on both databases.

type Call = Awaited<ReturnType<typeof caller>>['call'];

interface ProviderJson {
  id: string;
  label: string;
  issuer: string;
  clientId: string;
  scopes: string[];
  usernameClaim: string;
  emailClaim: string;
  groupsClaim: string;
  createUnknown: boolean;
  linkVerifiedEmail: boolean;
  enforces2fa: boolean;
  groupMappings: Array<{ value: string; group: { id: string; name: string } }>;
  redirectUri: string;
  hasClientSecret: true;
  createdAt: string;
  updatedAt: string;
}

let counter = 0;
const unique = (base: string) => `${base}-${++counter}-${randomBytes(3).toString('hex')}`;
const newSecret = () => `upstream-secret-${randomBytes(12).toString('hex')}`;

function sampleBody(extra: Record<string, unknown> = {}) {
  return {
    label: unique('Company'),
    issuer: 'https://login.example.com/realms/company',
    clientId: 'roster',
    clientSecret: newSecret(),
    createUnknown: true,
    linkVerifiedEmail: false,
    ...extra,
  };
}

async function createProvider(call: Call, extra: Record<string, unknown> = {}) {
  const body = sampleBody(extra);
  const response = await call('POST', '/api/v1/identity-providers', body);
  if (response.statusCode !== 201) throw new Error(`create failed: ${response.statusCode} ${response.body}`);
  return { provider: (response.json() as { identityProvider: ProviderJson }).identityProvider, secret: body.clientSecret };
}

async function createGroup(call: Call, role?: 'admin' | 'member') {
  const response = await call('POST', '/api/v1/groups', { name: unique('group'), ...(role ? { role } : {}) });
  if (response.statusCode !== 201) throw new Error(`group failed: ${response.statusCode} ${response.body}`);
  return response.json() as { id: string; name: string };
}

async function auditOf(t: TestApp, action: string) {
  return t.services.database.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'details', 'target_id', 'target_name', 'actor_id'])
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
}

async function countProviders(t: TestApp): Promise<number> {
  const row = await t.services.database.db
    .selectFrom('identity_providers')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function storedSecret(t: TestApp, id: string): Promise<string> {
  const row = await t.services.database.db
    .selectFrom('identity_providers')
    .select('client_secret')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.client_secret;
}

describeEachDatabase('identity providers: the registry (SPEC §12.2)', (dialect) => {
  const t = useTestApp(dialect, { env: testSecretKeyEnv });

  it('registers, lists, reads, changes and removes a provider, and never answers, audits or logs its secret', async () => {
    const owner = await caller(t());
    const group = await createGroup(owner.call);
    const body = sampleBody({ groupMappings: [{ value: 'engineers', groupId: group.id }] });
    const created = await owner.call('POST', '/api/v1/identity-providers', body);
    expect(created.statusCode, created.body).toBe(201);
    const provider = (created.json() as { identityProvider: ProviderJson }).identityProvider;
    expect(provider).toEqual({
      id: provider.id,
      label: body.label,
      issuer: body.issuer,
      clientId: 'roster',
      scopes: ['openid', 'profile', 'email'],
      usernameClaim: 'preferred_username',
      emailClaim: 'email',
      groupsClaim: 'groups',
      createUnknown: true,
      linkVerifiedEmail: false,
      enforces2fa: false,
      groupMappings: [{ value: 'engineers', group: { id: group.id, name: group.name } }],
      redirectUri: `${t().services.config.publicUrl.origin}/auth/sso/${provider.id}/callback`,
      hasClientSecret: true,
      createdAt: t().clock.now().toISOString(),
      updatedAt: t().clock.now().toISOString(),
    });

    const one = await owner.call('GET', `/api/v1/identity-providers/${provider.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(provider);
    const list = await owner.call('GET', '/api/v1/identity-providers?limit=500');
    expect(list.statusCode).toBe(200);
    expect((list.json() as { items: ProviderJson[] }).items).toContainEqual(provider);

    const replacement = newSecret();
    const patched = await owner.call('PATCH', `/api/v1/identity-providers/${provider.id}`, {
      label: '  Okta  ',
      scopes: ['openid', 'email', 'groups'],
      groupsClaim: 'roles',
      enforces2fa: true,
      clientSecret: replacement,
      groupMappings: [],
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      label: 'Okta',
      scopes: ['openid', 'email', 'groups'],
      groupsClaim: 'roles',
      enforces2fa: true,
      groupMappings: [],
    });
    const login = await loadIdentityProviderForLogin(t().services, provider.id);
    expect(login).toMatchObject({ clientSecret: replacement, groupsClaim: 'roles', redirectUri: provider.redirectUri, groupMappings: [] });

    const [updated] = await auditOf(t(), 'identity_provider.updated');
    expect(updated).toMatchObject({ outcome: 'success', target_id: provider.id, target_name: 'Okta', actor_id: owner.user.id });
    expect(JSON.parse(String(updated?.details))).toMatchObject({ clientSecret: 'replaced', label: { from: body.label, to: 'Okta' } });

    // Nothing changed, nothing recorded.
    const same = await owner.call('PATCH', `/api/v1/identity-providers/${provider.id}`, { label: 'Okta' });
    expect(same.statusCode).toBe(200);
    expect(await auditOf(t(), 'identity_provider.updated')).toHaveLength(1);

    const removed = await owner.call('DELETE', `/api/v1/identity-providers/${provider.id}`);
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await owner.call('GET', `/api/v1/identity-providers/${provider.id}`)).statusCode).toBe(404);
    expect((await owner.call('DELETE', `/api/v1/identity-providers/${provider.id}`)).statusCode).toBe(404);

    const events = [
      ...(await auditOf(t(), 'identity_provider.created')),
      ...(await auditOf(t(), 'identity_provider.updated')),
      ...(await auditOf(t(), 'identity_provider.removed')),
    ].filter((event) => event.target_id === provider.id);
    expect(events.map((event) => [event.action, event.outcome])).toEqual([
      ['identity_provider.created', 'success'],
      ['identity_provider.updated', 'success'],
      ['identity_provider.removed', 'success'],
    ]);
    for (const secret of [body.clientSecret, replacement]) {
      for (const answer of [created, one, list, patched]) expect(answer.body).not.toContain(secret);
      expect(JSON.stringify(events)).not.toContain(secret);
      expect(allLogs(t())).not.toContain(secret);
    }
    for (const answer of [created, one, list, patched]) expect(answer.body).not.toContain('v1.');
  });

  it('stores the secret encrypted, bound to its row: a copy in another row does not decrypt', async () => {
    const owner = await caller(t());
    const first = await createProvider(owner.call);
    const second = await createProvider(owner.call);
    const stored = await storedSecret(t(), first.provider.id);
    expect(stored).toMatch(/^v1\.[A-Za-z0-9_-]{8}\./);
    expect(stored).not.toContain(first.secret);
    const keyring = t().services.secrets.keyring;
    if (!keyring) throw new Error('no keyring');
    expect(keyring.decryptText(clientSecretField(first.provider.id), stored)).toBe(first.secret);
    expect(() => keyring.decryptText(clientSecretField(second.provider.id), stored)).toThrow(SecretDecryptionError);
    expect(() => keyring.decryptText({ table: 'mfa_totp', column: 'secret', rowId: first.provider.id }, stored)).toThrow(
      SecretDecryptionError,
    );

    await t()
      .services.database.db.updateTable('identity_providers')
      .set({ client_secret: stored })
      .where('id', '=', second.provider.id)
      .execute();
    await expect(loadIdentityProviderForLogin(t().services, second.provider.id)).rejects.toBeInstanceOf(SecretDecryptionError);
    expect((await loadIdentityProviderForLogin(t().services, first.provider.id)).clientSecret).toBe(first.secret);

    // `roster secrets rekey` walks the column.
    expect(encryptedColumns).toContainEqual(identityProviderSecretColumn);
  });

  it('refuses Admins and Members, records the denied writes, and tells the console through /me', async () => {
    const owner = await caller(t());
    const { provider } = await createProvider(owner.call);
    for (const role of ['admin', 'member'] as const) {
      const someone = await caller(t(), role);
      const before = await countProviders(t());
      const label = unique(`by-${role}`);
      const refused = await someone.call('POST', '/api/v1/identity-providers', sampleBody({ label }));
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json().code).toBe('forbidden');
      expect(await countProviders(t())).toBe(before);
      const denied = (await auditOf(t(), 'identity_provider.created')).filter((event) => event.target_name === label);
      expect(denied).toEqual([expect.objectContaining({ outcome: 'denied', actor_id: someone.user.id })]);

      expect((await someone.call('GET', '/api/v1/identity-providers')).statusCode).toBe(403);
      expect((await someone.call('GET', `/api/v1/identity-providers/${provider.id}`)).statusCode).toBe(403);
      expect((await someone.call('POST', `/api/v1/identity-providers/${provider.id}/test`)).statusCode).toBe(403);
      expect((await someone.call('POST', '/api/v1/identity-providers/test', { issuer: 'https://login.example.com' })).statusCode).toBe(403);
      expect((await someone.call('PATCH', `/api/v1/identity-providers/${provider.id}`, { label: 'taken' })).statusCode).toBe(403);
      expect((await someone.call('DELETE', `/api/v1/identity-providers/${provider.id}`)).statusCode).toBe(403);
      for (const action of ['identity_provider.updated', 'identity_provider.removed']) {
        const events = (await auditOf(t(), action)).filter((event) => event.actor_id === someone.user.id);
        expect(events).toEqual([expect.objectContaining({ outcome: 'denied', target_id: provider.id })]);
      }
      expect((await someone.call('GET', '/api/v1/me')).json().abilities.manageIdentityProviders).toBe(false);
    }
    expect((await owner.call('GET', '/api/v1/me')).json().abilities.manageIdentityProviders).toBe(true);
    expect((await owner.call('GET', `/api/v1/identity-providers/${provider.id}`)).json().label).toBe(provider.label);
  });

  describe('validation', () => {
    const refused: Array<[string, Record<string, unknown>, string]> = [
      ['an http issuer on a non-loopback host', { issuer: 'http://login.example.com' }, '/issuer'],
      ['an http issuer on a look-alike host', { issuer: 'http://localhost.example.com' }, '/issuer'],
      ['another scheme', { issuer: 'ftp://login.example.com' }, '/issuer'],
      ['a relative issuer', { issuer: '/realms/company' }, '/issuer'],
      ['an issuer with a query', { issuer: 'https://login.example.com/?tenant=1' }, '/issuer'],
      ['an issuer with a password', { issuer: 'https://a:b@login.example.com' }, '/issuer'],
      ['a blank label', { label: '   ' }, '/label'],
      ['a label of 61 characters', { label: 'x'.repeat(61) }, '/label'],
      ['scopes without openid', { scopes: ['profile', 'email'] }, '/scopes'],
      [
        'a mapping onto a group that does not exist',
        { groupMappings: [{ value: 'ops', groupId: 'no-such-group' }] },
        '/groupMappings/0/groupId',
      ],
    ];

    it.each(refused)('refuses %s with 400 validation_failed and registers nothing', async (_label, extra, field) => {
      const owner = await caller(t());
      const before = await countProviders(t());
      const response = await owner.call('POST', '/api/v1/identity-providers', sampleBody(extra));
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().code).toBe('validation_failed');
      expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await countProviders(t())).toBe(before);
    });

    it('accepts http on loopback (a provider started by a test) and refuses a PATCH that breaks a rule', async () => {
      const owner = await caller(t());
      const { provider } = await createProvider(owner.call, { issuer: 'http://127.0.0.1:9/' });
      expect(provider.issuer).toBe('http://127.0.0.1:9/');
      for (const body of [
        { issuer: 'http://login.example.com' },
        { label: '' },
        { scopes: ['email'] },
        { groupMappings: [{ value: 'x', groupId: 'nope' }] },
      ]) {
        const response = await owner.call('PATCH', `/api/v1/identity-providers/${provider.id}`, body);
        expect(response.statusCode, JSON.stringify(body)).toBe(400);
      }
      expect((await owner.call('GET', `/api/v1/identity-providers/${provider.id}`)).json()).toEqual(provider);
    });
  });

  describe('group mappings', () => {
    it('loses a mapping when its group is deleted', async () => {
      const owner = await caller(t());
      const kept = await createGroup(owner.call);
      const doomed = await createGroup(owner.call);
      const { provider } = await createProvider(owner.call, {
        groupMappings: [
          { value: 'ops', groupId: doomed.id },
          { value: 'dev', groupId: kept.id },
        ],
      });
      expect(provider.groupMappings.map((m) => m.group.id).sort()).toEqual([kept.id, doomed.id].sort());
      expect((await owner.call('DELETE', `/api/v1/groups/${doomed.id}`)).statusCode).toBe(204);
      const after = (await owner.call('GET', `/api/v1/identity-providers/${provider.id}`)).json() as ProviderJson;
      expect(after.groupMappings).toEqual([{ value: 'dev', group: { id: kept.id, name: kept.name } }]);
    });

    it('lets an Owner map onto groups that carry a role or project access; the policy keeps it an Owner’s act', async () => {
      const owner = await caller(t());
      const admins = await createGroup(owner.call, 'admin');
      const plain = await createGroup(owner.call);
      const withProject = await createGroup(owner.call);
      const project = await owner.call('POST', '/api/v1/projects', { name: unique('project') });
      expect(project.statusCode, project.body).toBe(201);
      const granted = await owner.call('PUT', `/api/v1/projects/${project.json().id}/access/group/${withProject.id}`, {
        role: 'contributor',
      });
      expect(granted.statusCode, granted.body).toBe(200);
      const created = await createProvider(owner.call, {
        groupMappings: [
          { value: 'roster-admins', groupId: admins.id },
          { value: 'dev', groupId: withProject.id },
        ],
      });
      expect(created.provider.groupMappings).toHaveLength(2);

      // Only Owners hold organization.identity_providers.manage today, so the rule is seen through the policy with an
      // Admin as the subject: it holds if the permission is ever widened (SPEC §12.2).
      const subjectOf = async (id: string) => {
        const subject = await loadAccessSubject(t().services.database.db, id);
        if (!subject) throw new Error('no subject');
        return subject;
      };
      const admin = await subjectOf((await caller(t(), 'admin')).user.id);
      const ownerSubject = await subjectOf(owner.user.id);
      const view = (group: { name: string }, role: string | null, hasProjectAccess: boolean) => ({
        name: group.name,
        role,
        hasProjectAccess,
      });
      expect(whyCannotMapGroups(admin, [view(plain, null, false)])).toBeNull();
      expect(whyCannotMapGroups(admin, [view(plain, null, false), view(admins, 'admin', false)])).toContain('Only an Owner');
      expect(whyCannotMapGroups(admin, [view(withProject, null, true)])).toContain('access to projects');
      expect(whyCannotMapGroups(ownerSubject, [view(admins, 'admin', false), view(withProject, null, true)])).toBeNull();
    });
  });

  it('keeps raising the role of a mapped group an Owner’s act: an Admin is refused, and recorded', async () => {
    const owner = await caller(t());
    const admin = await caller(t(), 'admin');
    const mapped = await createGroup(owner.call);
    const unmapped = await createGroup(owner.call);
    await createProvider(owner.call, { groupMappings: [{ value: 'platform', groupId: mapped.id }] });

    const refused = await admin.call('PATCH', `/api/v1/groups/${mapped.id}`, { role: 'admin' });
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().detail).toContain('an identity provider manages its members');
    const denied = (await auditOf(t(), 'group.updated')).filter((event) => event.target_id === mapped.id);
    expect(denied).toEqual([expect.objectContaining({ outcome: 'denied', actor_id: admin.user.id })]);
    expect((await admin.call('PATCH', `/api/v1/groups/${unmapped.id}`, { role: 'admin' })).statusCode).toBe(200);
    expect((await admin.call('PATCH', `/api/v1/groups/${mapped.id}`, { name: unique('renamed') })).statusCode).toBe(200);

    const raised = await owner.call('PATCH', `/api/v1/groups/${mapped.id}`, { role: 'admin' });
    expect(raised.statusCode, raised.body).toBe(200);
    // Lowering it is not a raise: an Admin may.
    expect((await admin.call('PATCH', `/api/v1/groups/${mapped.id}`, { role: 'member' })).statusCode).toBe(200);
  });

  it('answers 404 for unknown ids', async () => {
    const owner = await caller(t());
    const id = '00000000-0000-4000-8000-000000000000';
    expect((await owner.call('GET', `/api/v1/identity-providers/${id}`)).statusCode).toBe(404);
    expect((await owner.call('PATCH', `/api/v1/identity-providers/${id}`, { label: 'x' })).statusCode).toBe(404);
    expect((await owner.call('DELETE', `/api/v1/identity-providers/${id}`)).statusCode).toBe(404);
    expect((await owner.call('POST', `/api/v1/identity-providers/${id}/test`)).statusCode).toBe(404);
  });
});

/** A loopback HTTP server answering every request with `answer`; closed after the suite. */
async function fakeServer(answer: (request: http.IncomingMessage, response: http.ServerResponse, base: string) => void) {
  let base = '';
  const server = http.createServer((request, response) => answer(request, response, base));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describeEachDatabase('identity providers: Test connection', (dialect) => {
  let roster: ListeningTestApp;
  const servers: Array<{ close(): Promise<void> }> = [];
  beforeAll(async () => {
    roster = await createListeningTestApp(dialect);
  }, 60_000);
  afterAll(async () => {
    for (const server of servers) await server.close();
    await roster?.close();
  }, 60_000);

  const testIssuer = async (issuer: string) => {
    const owner = await caller(roster);
    const response = await owner.call('POST', '/api/v1/identity-providers/test', { issuer });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { ok: boolean; error?: string; issuer?: string; [key: string]: unknown };
  };

  it('reads the discovery document of a real provider (Roster’s own), registered or not', async () => {
    const unsaved = await testIssuer(roster.base);
    expect(unsaved).toMatchObject({
      ok: true,
      issuer: roster.base,
      authorizationEndpoint: expect.stringContaining(roster.base),
      tokenEndpoint: expect.stringContaining(roster.base),
      userinfoEndpoint: expect.stringContaining(roster.base),
      jwksUri: expect.stringContaining(roster.base),
    });
    expect(unsaved.scopesSupported).toContain('openid');
    expect(unsaved.claimsSupported).toContain('sub');

    const owner = await caller(roster);
    const { provider } = await createProvider(owner.call, { issuer: roster.base });
    const saved = await owner.call('POST', `/api/v1/identity-providers/${provider.id}/test`);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual(unsaved);
  });

  it('names the error: connection refused, HTTP 404, a redirect, another issuer, not JSON', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    expect(await testIssuer(closed)).toEqual({ ok: false, error: expect.stringMatching(/^Connection refused/) });

    const notFound = await fakeServer((_request, response) => response.writeHead(404, { 'content-type': 'text/plain' }).end('no'));
    servers.push(notFound);
    expect(await testIssuer(notFound.base)).toEqual({
      ok: false,
      error: expect.stringMatching(/^HTTP 404 from .*\/\.well-known\/openid-configuration/),
    });

    const redirecting = await fakeServer((_request, response) =>
      response.writeHead(302, { location: `${roster.base}/.well-known/openid-configuration` }).end(),
    );
    servers.push(redirecting);
    const redirect = await testIssuer(redirecting.base);
    expect(redirect).toEqual({ ok: false, error: expect.stringMatching(/^Redirect refused: .* HTTP 302 to http:\/\/127\.0\.0\.1/) });

    const impostor = await fakeServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ issuer: 'https://someone-else.example.com', authorization_endpoint: 'https://someone-else.example.com/auth' }),
      );
    });
    servers.push(impostor);
    expect(await testIssuer(impostor.base)).toEqual({
      ok: false,
      error: expect.stringMatching(/^Issuer mismatch: the discovery document names the issuer "https:\/\/someone-else\.example\.com"/),
    });

    const html = await fakeServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>'));
    servers.push(html);
    expect(await testIssuer(html.base)).toEqual({ ok: false, error: expect.stringMatching(/^Not JSON/) });

    const huge = await fakeServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`{"issuer":"${'x'.repeat(600 * 1024)}"}`);
    });
    servers.push(huge);
    expect(await testIssuer(huge.base)).toEqual({ ok: false, error: expect.stringMatching(/larger than 512 KiB/) });
  });

  it('refuses to test an issuer that could never be saved', async () => {
    const owner = await caller(roster);
    const response = await owner.call('POST', '/api/v1/identity-providers/test', { issuer: 'http://login.example.com' });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
  });
});

if (!postgresAdminUrl) console.warn(postgresSkipReason);
describe.skipIf(!postgresAdminUrl)('identity providers without a secret key [postgres]', () => {
  it('refuses to store a client secret with 503 secret_key_missing and writes nothing', async () => {
    const t = await createTestApp('postgres', { env: { ROSTER_SECRET_KEY: '' } });
    try {
      expect(t.services.secrets.keyring).toBeNull();
      const owner = await caller(t);
      const body = sampleBody();
      const response = await owner.call('POST', '/api/v1/identity-providers', body);
      expect(response.statusCode, response.body).toBe(503);
      expect(response.json()).toMatchObject({ code: 'secret_key_missing' });
      expect(response.json().detail).toContain('ROSTER_SECRET_KEY');
      expect(await countProviders(t)).toBe(0);
      expect(await auditOf(t, 'identity_provider.created')).toEqual([]);
      expect(allLogs(t)).not.toContain(body.clientSecret);
    } finally {
      await t.close();
    }
  });
});
