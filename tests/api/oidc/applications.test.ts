import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadAccessSubject } from '../../../src/domain/access/load-access-subject.js';
import { mayUseApplication } from '../../../src/domain/access/policies/application-policy.js';
import { clientSecretMatches } from '../../../src/domain/applications/client-secret.js';
import { findApplicationByClientId } from '../../../src/storage/queries/applications.js';
import { describeEachDatabase } from '../../support/databases.js';
import { buildMember } from '../../support/factories.js';
import type { TestApp } from '../../support/test-app.js';
import { useTestApp } from '../../support/test-app.js';
import { caller } from '../people/support.js';

// SPEC §12.1, §12.3, §12.4 (docs/product/api.md#applications): the Applications registry of the OpenID Connect
// provider and the consents API, through app.inject on both databases.

type Call = Awaited<ReturnType<typeof caller>>['call'];

interface ApplicationJson {
  id: string;
  clientId: string;
  name: string;
  type: 'confidential' | 'public';
  redirectUris: string[];
  firstParty: boolean;
  authorizeApi: boolean;
  rosterApi: boolean;
  allowedGroups: Array<{ id: string; name: string }> | null;
  secretRotatedAt: string | null;
  previousSecretExpiresAt: string | null;
  createdBy: { id: string; username: string } | null;
  abilities: { edit: boolean; rotateSecret: boolean; remove: boolean; trust: boolean; reason: string | null };
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
let counter = 0;
const uniqueName = (base = 'app') => `${base} ${++counter} ${randomBytes(3).toString('hex')}`;

function sampleBody(extra: Record<string, unknown> = {}) {
  return { name: uniqueName(), type: 'confidential', redirectUris: ['https://ci.example.com/oidc/callback'], ...extra };
}

async function createApp(call: Call, extra: Record<string, unknown> = {}) {
  const response = await call('POST', '/api/v1/applications', sampleBody(extra));
  if (response.statusCode !== 201) throw new Error(`create failed: ${response.statusCode} ${response.body}`);
  return response.json() as { application: ApplicationJson; clientSecret?: string };
}

async function auditOf(t: TestApp, action: string, targetId?: string) {
  let query = t.services.database.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'details', 'target_id', 'target_name', 'actor_id'])
    .where('action', '=', action);
  if (targetId) query = query.where('target_id', '=', targetId);
  return query.orderBy('seq').execute();
}

/** A fake object of the provider library, as its adapter would store it. */
async function insertPayload(t: TestApp, clientId: string, accountId: string | null, model = 'AccessToken') {
  const id = randomBytes(16).toString('hex');
  await t.services.database.db
    .insertInto('oidc_payloads')
    .values({
      model,
      id,
      payload: '{}',
      grant_id: null,
      account_id: accountId,
      client_id: clientId,
      uid: null,
      roster_session: null,
      expires_at: null,
      consumed_at: null,
    })
    .execute();
  return id;
}

async function payloadsOf(t: TestApp, clientId: string) {
  const rows = await t.services.database.db
    .selectFrom('oidc_payloads')
    .select(['id', 'account_id'])
    .where('client_id', '=', clientId)
    .execute();
  return rows;
}

async function countApplications(t: TestApp): Promise<number> {
  const row = await t.services.database.db
    .selectFrom('applications')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function createGroup(call: Call, members: string[]) {
  const response = await call('POST', '/api/v1/groups', { name: uniqueName('group').replace(/ /g, '-') });
  if (response.statusCode !== 201) throw new Error(`group failed: ${response.statusCode} ${response.body}`);
  const group = response.json() as { id: string; name: string };
  for (const userId of members) {
    const added = await call('PUT', `/api/v1/groups/${group.id}/members/${userId}`);
    if (added.statusCode !== 200) throw new Error(`member failed: ${added.statusCode} ${added.body}`);
  }
  return group;
}

describeEachDatabase('applications: the registry of OpenID Connect clients', (dialect) => {
  const t = useTestApp(dialect);

  describe('registering', () => {
    it('shows a confidential application its secret once, stores only the digest and audits without it', async () => {
      const owner = await caller(t());
      const response = await owner.call(
        'POST',
        '/api/v1/applications',
        sampleBody({ postLogoutRedirectUris: ['https://ci.example.com/'] }),
      );
      expect(response.statusCode, response.body).toBe(201);
      const { application, clientSecret } = response.json() as { application: ApplicationJson; clientSecret: string };
      expect(application.clientId).toMatch(/^app_[0-9A-Za-z]{24}$/);
      expect(clientSecret).toMatch(/^rcs_[0-9A-Za-z]{40}$/);
      expect(application).toMatchObject({
        type: 'confidential',
        firstParty: false,
        authorizeApi: false,
        rosterApi: false,
        allowedGroups: null,
        secretRotatedAt: null,
        previousSecretExpiresAt: null,
        createdBy: { id: owner.user.id, username: owner.user.username },
      });
      const digest = sha256(clientSecret);
      expect(response.body).not.toContain(digest);

      const row = await findApplicationByClientId(t().services.database, application.clientId);
      expect(row?.secret_digest).toBe(digest);
      expect(row && clientSecretMatches(row, clientSecret, t().clock.now())).toBe(true);

      const one = await owner.call('GET', `/api/v1/applications/${application.id}`);
      const list = await owner.call('GET', '/api/v1/applications?limit=500');
      for (const answer of [one, list]) {
        expect(answer.statusCode).toBe(200);
        expect(answer.body).toContain(application.clientId);
        expect(answer.body).not.toContain(clientSecret);
        expect(answer.body).not.toContain(digest);
        expect(answer.body).not.toContain('clientSecret');
      }

      const [event] = await auditOf(t(), 'application.created', application.id);
      expect(event).toMatchObject({ outcome: 'success', target_name: application.name, actor_id: owner.user.id });
      expect(JSON.stringify(event)).not.toContain(clientSecret);
      expect(JSON.stringify(event)).not.toContain(digest);
      expect(JSON.stringify(event)).toContain(application.clientId);
    });

    it('gives a public application no secret, and refuses to rotate what it does not have', async () => {
      const owner = await caller(t());
      const created = await createApp(owner.call, { type: 'public', redirectUris: ['http://127.0.0.1:53682/callback'] });
      expect(created.clientSecret).toBeUndefined();
      expect(created.application.abilities.rotateSecret).toBe(false);
      const row = await findApplicationByClientId(t().services.database, created.application.clientId);
      expect(row?.secret_digest).toBeNull();
      expect(row && clientSecretMatches(row, 'rcs_anything', t().clock.now())).toBe(false);
      const rotate = await owner.call('POST', `/api/v1/applications/${created.application.id}/secret`);
      expect(rotate.statusCode).toBe(409);
      expect(rotate.json().code).toBe('conflict');
    });

    it('pages the list by name with a cursor', async () => {
      const owner = await caller(t());
      for (let i = 0; i < 3; i++) await createApp(owner.call);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/applications?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await owner.call('GET', url);
        expect(page.statusCode, page.body).toBe(200);
        const body = page.json() as { items: ApplicationJson[]; nextCursor: string | null };
        expect(body.items.length).toBeLessThanOrEqual(2);
        seen.push(...body.items.map((item) => item.id));
        cursor = body.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(await countApplications(t()));
      expect((await owner.call('GET', '/api/v1/applications?cursor=nonsense')).statusCode).toBe(400);
    });
  });

  describe('who may do what (§12.3)', () => {
    it('lets an Admin register a third-party sign-in application but not a trusted one, and records the refusals', async () => {
      const admin = await caller(t(), 'admin');
      const ok = await admin.call('POST', '/api/v1/applications', sampleBody());
      expect(ok.statusCode, ok.body).toBe(201);
      expect((ok.json() as { application: ApplicationJson }).application.abilities).toMatchObject({ edit: true, trust: false });

      for (const flag of ['firstParty', 'authorizeApi', 'rosterApi']) {
        const before = await countApplications(t());
        const name = uniqueName(flag);
        const refused = await admin.call('POST', '/api/v1/applications', { ...sampleBody({ [flag]: true }), name });
        expect(refused.statusCode, `${flag}: ${refused.body}`).toBe(403);
        expect(refused.json().code).toBe('forbidden');
        expect(await countApplications(t())).toBe(before);
        const denied = (await auditOf(t(), 'application.created')).filter((e) => e.target_name === name);
        expect(denied).toHaveLength(1);
        expect(denied[0]).toMatchObject({ outcome: 'denied', actor_id: admin.user.id });
      }
    });

    it('keeps trusted applications out of an Admin’s hands: no change, no new secret, no removal, no trust flag', async () => {
      const owner = await caller(t());
      const admin = await caller(t(), 'admin');
      const trusted = await createApp(owner.call, { firstParty: true, authorizeApi: true, rosterApi: true });
      const id = trusted.application.id;
      const seen = (await admin.call('GET', `/api/v1/applications/${id}`)).json() as ApplicationJson;
      expect(seen.abilities).toMatchObject({ edit: false, rotateSecret: false, remove: false, trust: false });
      expect(seen.abilities.reason).toContain('organization.applications.trust');
      expect((await admin.call('PATCH', `/api/v1/applications/${id}`, { name: 'taken over' })).statusCode).toBe(403);
      expect((await admin.call('POST', `/api/v1/applications/${id}/secret`)).statusCode).toBe(403);
      expect((await admin.call('DELETE', `/api/v1/applications/${id}`)).statusCode).toBe(403);
      const denied = await auditOf(t(), 'application.removed', id);
      expect(denied.at(-1)).toMatchObject({ outcome: 'denied', actor_id: admin.user.id });
      expect((await owner.call('GET', `/api/v1/applications/${id}`)).json().name).toBe(trusted.application.name);

      const thirdParty = await createApp(admin.call);
      const raise = await admin.call('PATCH', `/api/v1/applications/${thirdParty.application.id}`, { firstParty: true });
      expect(raise.statusCode).toBe(403);
      const renamed = await admin.call('PATCH', `/api/v1/applications/${thirdParty.application.id}`, { name: 'Renamed by admin' });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(renamed.json()).toMatchObject({ name: 'Renamed by admin', firstParty: false });
      const trustedByOwner = await owner.call('PATCH', `/api/v1/applications/${thirdParty.application.id}`, { firstParty: true });
      expect(trustedByOwner.statusCode).toBe(200);
    });

    it('refuses Members everything, and tells the console who may do what through /me abilities', async () => {
      const member = await caller(t(), 'member');
      expect((await member.call('GET', '/api/v1/applications')).statusCode).toBe(403);
      expect((await member.call('POST', '/api/v1/applications', sampleBody())).statusCode).toBe(403);
      const owner = await caller(t());
      const app = await createApp(owner.call);
      expect((await member.call('GET', `/api/v1/applications/${app.application.id}`)).statusCode).toBe(403);
      expect((await member.call('DELETE', `/api/v1/applications/${app.application.id}`)).statusCode).toBe(403);

      const abilities = async (call: Call) => (await call('GET', '/api/v1/me')).json().abilities;
      expect(await abilities(owner.call)).toMatchObject({ viewApplications: true, manageApplications: true, trustApplications: true });
      const admin = await caller(t(), 'admin');
      expect(await abilities(admin.call)).toMatchObject({ viewApplications: true, manageApplications: true, trustApplications: false });
      expect(await abilities(member.call)).toMatchObject({ viewApplications: false, manageApplications: false, trustApplications: false });
    });
  });

  describe('validation', () => {
    const refused: Array<[string, Record<string, unknown>, string]> = [
      ['http on a non-loopback host', { redirectUris: ['http://ci.example.com/callback'] }, '/redirectUris/0'],
      ['a fragment', { redirectUris: ['https://ci.example.com/callback#x'] }, '/redirectUris/0'],
      ['an empty fragment', { redirectUris: ['https://ci.example.com/callback#'] }, '/redirectUris/0'],
      ['a relative URI', { redirectUris: ['/callback'] }, '/redirectUris/0'],
      ['another scheme', { redirectUris: ['ftp://ci.example.com/callback'] }, '/redirectUris/0'],
      ['a password in the URI', { redirectUris: ['https://user:pw@ci.example.com/callback'] }, '/redirectUris/0'],
      ['spaces', { redirectUris: [' https://ci.example.com/callback'] }, '/redirectUris/0'],
      ['a repeated URI', { redirectUris: ['https://a.example.com/cb', 'https://a.example.com/cb'] }, '/redirectUris/1'],
      ['http on a look-alike host', { redirectUris: ['http://localhost.example.com/cb'] }, '/redirectUris/0'],
      ['a bad post-logout URI', { postLogoutRedirectUris: ['http://ci.example.com/'] }, '/postLogoutRedirectUris/0'],
      ['no redirect URI', { redirectUris: [] }, '/redirectUris'],
      ['a blank name', { name: '   ' }, '/name'],
      ['a name of 101 characters', { name: 'x'.repeat(101) }, '/name'],
      ['authorizeApi on a public application', { type: 'public', authorizeApi: true }, '/authorizeApi'],
      ['an unknown group', { allowedGroupIds: ['no-such-group'] }, '/allowedGroupIds/0'],
    ];

    it.each(refused)('refuses %s with 400 validation_failed and registers nothing', async (_label, extra, field) => {
      const owner = await caller(t());
      const before = await countApplications(t());
      const response = await owner.call('POST', '/api/v1/applications', sampleBody(extra));
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().code).toBe('validation_failed');
      expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await countApplications(t())).toBe(before);
    });

    it('accepts https and http on loopback addresses, on any port (RFC 8252)', async () => {
      const owner = await caller(t());
      const uris = [
        'https://ci.example.com/oidc/callback?tenant=1',
        'http://localhost/callback',
        'http://localhost:8080/callback',
        'http://127.0.0.1:53682/callback',
        'http://[::1]:4000/callback',
      ];
      const created = await createApp(owner.call, { type: 'public', redirectUris: uris, postLogoutRedirectUris: ['http://127.0.0.1/'] });
      expect(created.application.redirectUris).toEqual(uris);
    });

    it('refuses a PATCH that breaks a rule and changes nothing', async () => {
      const owner = await caller(t());
      const publicApp = await createApp(owner.call, { type: 'public' });
      const id = publicApp.application.id;
      for (const body of [
        { authorizeApi: true },
        { redirectUris: ['http://evil.example.com/cb'] },
        { name: '' },
        { allowedGroupIds: ['nope'] },
      ]) {
        const response = await owner.call('PATCH', `/api/v1/applications/${id}`, body);
        expect(response.statusCode, JSON.stringify(body)).toBe(400);
        expect(response.json().code).toBe('validation_failed');
      }
      const after = (await owner.call('GET', `/api/v1/applications/${id}`)).json() as ApplicationJson;
      expect(after).toMatchObject({ name: publicApp.application.name, authorizeApi: false, allowedGroups: null });
      expect(after.redirectUris).toEqual(publicApp.application.redirectUris);
      expect(await auditOf(t(), 'application.updated', id)).toEqual([]);
    });

    it('answers 404 for unknown ids', async () => {
      const owner = await caller(t());
      const id = '00000000-0000-4000-8000-000000000000';
      expect((await owner.call('GET', `/api/v1/applications/${id}`)).statusCode).toBe(404);
      expect((await owner.call('PATCH', `/api/v1/applications/${id}`, { name: 'x' })).statusCode).toBe(404);
      expect((await owner.call('DELETE', `/api/v1/applications/${id}`)).statusCode).toBe(404);
      expect((await owner.call('POST', `/api/v1/applications/${id}/secret`)).statusCode).toBe(404);
      expect((await owner.call('DELETE', `/api/v1/me/applications/${id}`)).statusCode).toBe(404);
    });
  });

  describe('secrets', () => {
    it('rotates: the new secret works, the old one for 24 hours only, an unknown one never', async () => {
      const owner = await caller(t());
      const created = await createApp(owner.call);
      const first = created.clientSecret ?? '';
      const rotated = await owner.call('POST', `/api/v1/applications/${created.application.id}/secret`);
      expect(rotated.statusCode, rotated.body).toBe(200);
      const { application, clientSecret: second } = rotated.json() as { application: ApplicationJson; clientSecret: string };
      expect(second).toMatch(/^rcs_[0-9A-Za-z]{40}$/);
      expect(second).not.toBe(first);
      expect(application.previousSecretExpiresAt).not.toBeNull();
      expect(application.secretRotatedAt).toBe(t().clock.now().toISOString());
      expect(rotated.body).not.toContain(sha256(second));
      expect(rotated.body).not.toContain(sha256(first));

      const row = await findApplicationByClientId(t().services.database, application.clientId);
      if (!row) throw new Error('no row');
      const at = (ms: number) => new Date(t().clock.now().getTime() + ms);
      expect(clientSecretMatches(row, second, at(0))).toBe(true);
      expect(clientSecretMatches(row, first, at(0))).toBe(true);
      expect(clientSecretMatches(row, first, at(24 * 3600_000 - 60_000))).toBe(true);
      expect(clientSecretMatches(row, first, at(24 * 3600_000 + 1))).toBe(false);
      expect(clientSecretMatches(row, second, at(48 * 3600_000))).toBe(true);
      expect(clientSecretMatches(row, `rcs_${'A'.repeat(40)}`, at(0))).toBe(false);
      expect(clientSecretMatches(row, '', at(0))).toBe(false);

      const [event] = await auditOf(t(), 'application.secret_rotated', application.id);
      expect(event?.outcome).toBe('success');
      for (const secret of [first, second]) {
        expect(JSON.stringify(event)).not.toContain(secret);
        expect(JSON.stringify(event)).not.toContain(sha256(secret));
      }

      // After the overlap the API no longer shows a previous secret; a second rotation ends the first secret at once.
      t().clock.advance(25 * 3600_000);
      const later = (await owner.call('GET', `/api/v1/applications/${application.id}`)).json() as ApplicationJson;
      expect(later.previousSecretExpiresAt).toBeNull();
      expect(later.secretRotatedAt).toBe(application.secretRotatedAt);
      const third = (await owner.call('POST', `/api/v1/applications/${application.id}/secret`)).json().clientSecret as string;
      const again = await findApplicationByClientId(t().services.database, application.clientId);
      if (!again) throw new Error('no row');
      expect(clientSecretMatches(again, third, t().clock.now())).toBe(true);
      expect(clientSecretMatches(again, second, t().clock.now())).toBe(true);
      expect(clientSecretMatches(again, first, t().clock.now())).toBe(false);
    });
  });

  describe('revocation', () => {
    it('removes an application with its consents and every provider object of its client, and nothing of others', async () => {
      const owner = await caller(t());
      const member = await buildMember(t());
      const doomed = await createApp(owner.call);
      const other = await createApp(owner.call);
      await insertPayload(t(), doomed.application.clientId, member.user.id);
      await insertPayload(t(), doomed.application.clientId, null, 'ClientCredentials');
      const kept = await insertPayload(t(), other.application.clientId, member.user.id);
      const now = t().clock.now().toISOString();
      await t()
        .services.database.db.insertInto('oidc_consents')
        .values({ user_id: member.user.id, application_id: doomed.application.id, scopes: '["openid"]', created_at: now, updated_at: now })
        .execute();

      const removed = await owner.call('DELETE', `/api/v1/applications/${doomed.application.id}`);
      expect(removed.statusCode, removed.body).toBe(204);
      expect(await payloadsOf(t(), doomed.application.clientId)).toEqual([]);
      expect((await payloadsOf(t(), other.application.clientId)).map((row) => row.id)).toEqual([kept]);
      const consents = await t()
        .services.database.db.selectFrom('oidc_consents')
        .selectAll()
        .where('application_id', '=', doomed.application.id)
        .execute();
      expect(consents).toEqual([]);
      expect((await owner.call('GET', `/api/v1/applications/${doomed.application.id}`)).statusCode).toBe(404);
      const [event] = await auditOf(t(), 'application.removed', doomed.application.id);
      expect(event).toMatchObject({ outcome: 'success', target_name: doomed.application.name });
      expect(await findApplicationByClientId(t().services.database, doomed.application.clientId)).toBeUndefined();
    });

    it('restricting to groups revokes the objects of people outside them only, and stays restricted when the groups go', async () => {
      const owner = await caller(t());
      const inside = await buildMember(t());
      const outside = await buildMember(t());
      const group = await createGroup(owner.call, [inside.user.id]);
      const created = await createApp(owner.call);
      const clientId = created.application.clientId;
      const insideToken = await insertPayload(t(), clientId, inside.user.id);
      await insertPayload(t(), clientId, outside.user.id);
      await insertPayload(t(), clientId, outside.user.id, 'RefreshToken');
      const machineToken = await insertPayload(t(), clientId, null, 'ClientCredentials');

      const renamed = await owner.call('PATCH', `/api/v1/applications/${created.application.id}`, {
        redirectUris: ['https://new.example.com/cb'],
      });
      expect(renamed.statusCode).toBe(200);
      expect(await payloadsOf(t(), clientId)).toHaveLength(4); // redirect URIs revoke nothing

      const restricted = await owner.call('PATCH', `/api/v1/applications/${created.application.id}`, { allowedGroupIds: [group.id] });
      expect(restricted.statusCode, restricted.body).toBe(200);
      expect(restricted.json().allowedGroups).toEqual([{ id: group.id, name: group.name }]);
      expect((await payloadsOf(t(), clientId)).map((row) => row.id).sort()).toEqual([insideToken, machineToken].sort());
      const events = await auditOf(t(), 'application.updated', created.application.id);
      expect(events.at(-1)?.details).toContain('allowedGroupIds');

      const row = await findApplicationByClientId(t().services.database, clientId);
      expect(row).toMatchObject({ restricted_to_groups: 1, allowedGroupIds: [group.id] });
      const subjectOf = async (id: string) => {
        const subject = await loadAccessSubject(t().services.database.db, id);
        if (!subject) throw new Error('no subject');
        return subject;
      };
      if (!row) throw new Error('no row');
      expect(mayUseApplication(await subjectOf(inside.user.id), row)).toBe(true);
      expect(mayUseApplication(await subjectOf(outside.user.id), row)).toBe(false);

      expect((await owner.call('DELETE', `/api/v1/groups/${group.id}`)).statusCode).toBe(204);
      const after = (await owner.call('GET', `/api/v1/applications/${created.application.id}`)).json() as ApplicationJson;
      expect(after.allowedGroups).toEqual([]); // restricted to nobody, never silently open to everyone
      const emptied = await findApplicationByClientId(t().services.database, clientId);
      expect(emptied).toMatchObject({ restricted_to_groups: 1, allowedGroupIds: [] });
      if (!emptied) throw new Error('no row');
      expect(mayUseApplication(await subjectOf(inside.user.id), emptied)).toBe(false);

      const opened = await owner.call('PATCH', `/api/v1/applications/${created.application.id}`, { allowedGroupIds: null });
      expect(opened.json().allowedGroups).toBeNull();
      const open = await findApplicationByClientId(t().services.database, clientId);
      if (!open) throw new Error('no row');
      expect(mayUseApplication(await subjectOf(outside.user.id), open)).toBe(true);
    });

    it('survives concurrent changes and removal of one application without a 500', async () => {
      const owner = await caller(t());
      const member = await buildMember(t());
      const groupA = await createGroup(owner.call, [member.user.id]);
      const groupB = await createGroup(owner.call, []);
      const created = await createApp(owner.call);
      const id = created.application.id;
      await insertPayload(t(), created.application.clientId, member.user.id);
      const answers = await Promise.all([
        owner.call('PATCH', `/api/v1/applications/${id}`, { allowedGroupIds: [groupA.id], name: 'one' }),
        owner.call('PATCH', `/api/v1/applications/${id}`, { allowedGroupIds: [groupB.id, groupA.id], name: 'two' }),
        owner.call('PATCH', `/api/v1/applications/${id}`, { allowedGroupIds: [groupB.id], name: 'three' }),
        owner.call('POST', `/api/v1/applications/${id}/secret`),
        owner.call('DELETE', `/api/v1/applications/${id}`),
        owner.call('DELETE', `/api/v1/applications/${id}`),
      ]);
      const statuses = answers.map((answer) => answer.statusCode);
      for (const answer of answers) expect([200, 204, 404], answer.body).toContain(answer.statusCode);
      expect(statuses.filter((status) => status === 204)).toHaveLength(1);
      expect((await owner.call('GET', `/api/v1/applications/${id}`)).statusCode).toBe(404);
      expect(await payloadsOf(t(), created.application.clientId)).toEqual([]);
    });
  });

  describe('/me/applications', () => {
    it('lists the caller’s consents and revokes one with the caller’s objects of that client only', async () => {
      const owner = await caller(t());
      const person = await caller(t(), 'member');
      const someoneElse = await buildMember(t());
      const created = await createApp(owner.call);
      const { id, clientId } = created.application;
      const now = t().clock.now().toISOString();
      await t()
        .services.database.db.insertInto('oidc_consents')
        .values([
          { user_id: person.user.id, application_id: id, scopes: '["openid","profile"]', created_at: now, updated_at: now },
          { user_id: someoneElse.user.id, application_id: id, scopes: '["openid"]', created_at: now, updated_at: now },
        ])
        .execute();
      await insertPayload(t(), clientId, person.user.id);
      await insertPayload(t(), clientId, person.user.id, 'Grant');
      const theirs = await insertPayload(t(), clientId, someoneElse.user.id);

      const list = await person.call('GET', '/api/v1/me/applications');
      expect(list.statusCode, list.body).toBe(200);
      expect(list.json()).toEqual({
        items: [
          { application: { id, name: created.application.name, clientId }, scopes: ['openid', 'profile'], createdAt: now, updatedAt: now },
        ],
      });

      const revoked = await person.call('DELETE', `/api/v1/me/applications/${id}`);
      expect(revoked.statusCode, revoked.body).toBe(204);
      expect((await payloadsOf(t(), clientId)).map((row) => row.id)).toEqual([theirs]);
      expect((await person.call('GET', '/api/v1/me/applications')).json()).toEqual({ items: [] });
      expect((await person.call('DELETE', `/api/v1/me/applications/${id}`)).statusCode).toBe(404);
      const events = await auditOf(t(), 'oidc.token_revoked', id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ outcome: 'success', actor_id: person.user.id });
      expect(JSON.parse(String(events[0]?.details))).toMatchObject({ reason: 'consent_revoked', application: { id, clientId } });

      // The other person's consent is untouched.
      const left = await t().services.database.db.selectFrom('oidc_consents').select('user_id').where('application_id', '=', id).execute();
      expect(left.map((row) => row.user_id)).toEqual([someoneElse.user.id]);
    });
  });
});
