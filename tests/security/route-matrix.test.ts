import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it, vi } from 'vitest';
import { publicSessionId } from '../../src/domain/profile/list-own-sessions.js';
import { describeEachDatabase } from '../support/databases.js';
import { buildAdmin, buildMember, buildOwner, buildProject, factoryPassword, grantProjectRole } from '../support/factories.js';
import { repoRoot } from '../support/processes.js';
import type { TestApp } from '../support/test-app.js';
import { useTestApp } from '../support/test-app.js';
import { auditEventsSince, lastAuditSeq, snapshotTables } from './snapshot.js';
import {
  type Actor,
  type ActorKind,
  actorKinds,
  buildActor,
  documentedRoutes,
  fetchOpenApi,
  type Method,
  minimalWebRoot,
  sendAs,
  sessionHeaders,
} from './support/actors.js';
import { registeredRoutes } from './support/route-collector.js';

// Sees every route the app registers, documented or not (health, metrics, docs UI, console files).
vi.mock('fastify', async (importOriginal) => {
  const original = await importOriginal<typeof import('fastify')>();
  const { withRouteCollector } = await import('./support/route-collector.js');
  return { ...original, default: withRouteCollector(original.default) };
});

/**
 * SPEC §3, §3.3, §3.4, §6 — every route of the server × every kind of caller → the expected status, in ONE table.
 * A test fails when a registered or documented route has no row, and when a row names no route.
 *
 * Callers: `anonymous`; `member`, `admin`, `owner` with a personal API token; `restricted`: a browser session (cookie +
 * CSRF token) of an account that must change its password, which may only read GET /me, change the password and log
 * out (SPEC §3.3 item 1). Every cell uses fresh accounts and fresh targets.
 *
 * Targets here are the canonical ones: a person route acts on a fresh Member (lower than Admin/Owner, equal to a
 * Member); a project route acts on a stranger's project the caller has no grant on (Members get 404, never 403, so
 * names do not leak). The finer people/project target kinds (self/lower/equal/higher, own/granted/none) live in
 * tests/api/authorization-matrix.test.ts: rows marked `delegated` must have a row there too (checked below).
 */

type Expect = Record<ActorKind, number>;

interface CellSetup {
  t: TestApp;
  actor: Actor;
}
interface Prepared {
  url: string;
  body?: unknown;
}
interface Row {
  /** Public by design: no credential needed, and a credential changes nothing. */
  public?: true;
  /** The finer target kinds of this route are in tests/api/authorization-matrix.test.ts. */
  delegated?: true;
  expect: Expect;
  /** The concrete request for one cell; defaults to the route's path with no body. */
  prepare?: (setup: CellSetup) => Promise<Prepared> | Prepared;
}

const publicRoute = (prepare?: Row['prepare'], status = 200): Row => ({
  public: true,
  expect: { anonymous: status, member: status, admin: status, owner: status, restricted: status },
  ...(prepare ? { prepare } : {}),
});
/** Any signed-in caller with full access; a restricted session is refused. */
const signedIn = (ok: number, restricted = 403): Expect => ({ anonymous: 401, member: ok, admin: ok, owner: ok, restricted });
/** Needs an Admin-only permission (people, roles, audit, groups.manage). */
const adminsOnly = (ok: number): Expect => ({ anonymous: 401, member: 403, admin: ok, owner: ok, restricted: 403 });
/** A stranger's project: Members do not even learn it exists. */
const strangersProject = (ok: number): Expect => ({ anonymous: 401, member: 404, admin: ok, owner: ok, restricted: 403 });
const readOnlyRole: Expect = { anonymous: 401, member: 403, admin: 403, owner: 403, restricted: 403 };

const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 12)}`;
const newPassword = () => `route matrix ${randomUUID()}`;

async function freshMember(t: TestApp): Promise<string> {
  return (await buildMember(t)).user.id;
}
async function strangersProjectId(t: TestApp) {
  return (await buildProject(t, { id: await freshMember(t) })).id;
}
async function freshGroup(t: TestApp, memberId?: string) {
  const id = randomUUID();
  const name = uniqueName('group');
  const now = t.services.now().toISOString();
  const db = t.services.database.db;
  await db.insertInto('groups').values({ id, name, name_canonical: name, description: '', role: null, created_at: now }).execute();
  if (memberId) await db.insertInto('group_members').values({ group_id: id, user_id: memberId, created_at: now }).execute();
  return id;
}

const personUrl =
  (suffix: string) =>
  async ({ t }: CellSetup) => ({ url: `/api/v1/people/${await freshMember(t)}${suffix}` });
const projectUrl =
  (suffix: string, body?: (t: TestApp) => Promise<unknown> | unknown) =>
  async ({ t }: CellSetup) => ({
    url: `/api/v1/projects/${await strangersProjectId(t)}${suffix}`,
    ...(body ? { body: await body(t) } : {}),
  });

export const routeMatrix: Record<`${Exclude<Method, 'HEAD'>} /${string}`, Row> = {
  // ---- Public by design (outside /api/v1, or the OpenAPI document itself) ----
  'GET /healthz': publicRoute(),
  'GET /readyz': publicRoute(),
  'GET /metrics': publicRoute(),
  'GET /api/v1/openapi.json': publicRoute(),
  'GET /api/docs': publicRoute(() => ({ url: '/api/docs/' })),
  'GET /api/docs/json': publicRoute(),
  'GET /api/docs/yaml': publicRoute(),
  // The UI's own index page redirects to /api/docs/.
  'GET /api/docs/static/index.html': publicRoute(undefined, 302),
  'GET /api/docs/static/swagger-initializer.js': publicRoute(),
  'GET /api/docs/static/*': publicRoute(() => ({ url: '/api/docs/static/swagger-ui.css' })),
  'GET /index.html': publicRoute(),

  // ---- Authentication ----
  'POST /api/v1/auth/login': {
    // Logging in needs no credential; a restricted session must first set its password (SPEC §3.3 item 1).
    expect: { anonymous: 200, member: 200, admin: 200, owner: 200, restricted: 403 },
    prepare: async ({ t }) => {
      const someone = await buildMember(t);
      return { url: '/api/v1/auth/login', body: { login: someone.user.username, password: someone.password } };
    },
  },
  'POST /api/v1/auth/logout': { expect: { anonymous: 204, member: 204, admin: 204, owner: 204, restricted: 204 } },
  'POST /api/v1/auth/password': {
    expect: signedIn(200, 200),
    prepare: () => ({ url: '/api/v1/auth/password', body: { currentPassword: factoryPassword, newPassword: newPassword() } }),
  },

  // ---- Profile (always the caller themselves) ----
  'GET /api/v1/me': { expect: signedIn(200, 200) },
  'PATCH /api/v1/me': { expect: signedIn(200), prepare: () => ({ url: '/api/v1/me', body: { username: uniqueName('renamed') } }) },
  'POST /api/v1/me/email': {
    expect: signedIn(200),
    prepare: () => ({ url: '/api/v1/me/email', body: { email: `${uniqueName('moved')}@example.com`, currentPassword: factoryPassword } }),
  },
  'POST /api/v1/me/token': {
    expect: signedIn(200),
    prepare: () => ({ url: '/api/v1/me/token', body: { currentPassword: factoryPassword } }),
  },
  'DELETE /api/v1/me/token': {
    expect: signedIn(204),
    prepare: () => ({ url: '/api/v1/me/token', body: { currentPassword: factoryPassword } }),
  },
  'GET /api/v1/me/sessions': { expect: signedIn(200) },
  'DELETE /api/v1/me/sessions': { expect: signedIn(200) },
  'DELETE /api/v1/me/sessions/:id': {
    expect: signedIn(204),
    prepare: async ({ t, actor }) => {
      if (!actor.user) return { url: `/api/v1/me/sessions/${randomBytes(8).toString('hex')}` };
      // One of the caller's own sessions (a token caller logs in once in a browser first).
      if (actor.kind !== 'restricted') await sessionHeaders(t, actor.user);
      const own = await t.services.database.db
        .selectFrom('sessions')
        .select('id_digest')
        .where('user_id', '=', actor.user.user.id)
        .execute();
      const digest = own[0]?.id_digest;
      if (!digest) throw new Error('the actor has no session');
      return { url: `/api/v1/me/sessions/${publicSessionId(digest)}` };
    },
  },

  // ---- People (finer targets: tests/api/authorization-matrix.test.ts) ----
  'GET /api/v1/people': { delegated: true, expect: adminsOnly(200) },
  'POST /api/v1/people': {
    delegated: true,
    expect: adminsOnly(200),
    prepare: () => ({ url: '/api/v1/people', body: { accounts: [{ email: `${uniqueName('added')}@example.com` }] } }),
  },
  'GET /api/v1/people/export': { delegated: true, expect: adminsOnly(200) },
  // Also open to Members who administer a project (tests/api/people/lookup.test.ts); this Member administers none.
  'GET /api/v1/people/lookup': { delegated: true, expect: adminsOnly(200) },
  'GET /api/v1/people/:id': { delegated: true, expect: adminsOnly(200), prepare: personUrl('') },
  'GET /api/v1/people/:id/permissions': { delegated: true, expect: adminsOnly(200), prepare: personUrl('/permissions') },
  'PUT /api/v1/people/:id/role': {
    delegated: true,
    expect: adminsOnly(200),
    prepare: async (setup) => ({ ...(await personUrl('/role')(setup)), body: { role: 'admin' } }),
  },
  'PUT /api/v1/people/:id/email': {
    delegated: true,
    expect: adminsOnly(200),
    prepare: async (setup) => ({ ...(await personUrl('/email')(setup)), body: { email: `${uniqueName('changed')}@example.com` } }),
  },
  'POST /api/v1/people/:id/password-reset': {
    delegated: true,
    expect: adminsOnly(200),
    prepare: async (setup) => ({ ...(await personUrl('/password-reset')(setup)), body: {} }),
  },
  'POST /api/v1/people/:id/unlock': { delegated: true, expect: adminsOnly(200), prepare: personUrl('/unlock') },
  'DELETE /api/v1/people/:id/sessions': { delegated: true, expect: adminsOnly(200), prepare: personUrl('/sessions') },
  'DELETE /api/v1/people/:id': { delegated: true, expect: adminsOnly(204), prepare: personUrl('') },

  // ---- Projects (finer targets: tests/api/authorization-matrix.test.ts) ----
  'GET /api/v1/projects': { delegated: true, expect: signedIn(200) },
  'POST /api/v1/projects': {
    delegated: true,
    expect: signedIn(201),
    prepare: () => ({ url: '/api/v1/projects', body: { name: uniqueName('project') } }),
  },
  'GET /api/v1/projects/:id': { delegated: true, expect: strangersProject(200), prepare: projectUrl('') },
  'PATCH /api/v1/projects/:id': {
    delegated: true,
    expect: strangersProject(200),
    prepare: projectUrl('', () => ({ description: 'changed by the route matrix' })),
  },
  'DELETE /api/v1/projects/:id': { delegated: true, expect: strangersProject(204), prepare: projectUrl('') },
  'PUT /api/v1/projects/:id/owner': {
    delegated: true,
    expect: strangersProject(200),
    prepare: projectUrl('/owner', async (t) => ({ userId: await freshMember(t) })),
  },
  'GET /api/v1/projects/:id/access': { delegated: true, expect: strangersProject(200), prepare: projectUrl('/access') },
  'PUT /api/v1/projects/:id/access/:subjectType/:subjectId': {
    delegated: true,
    expect: strangersProject(200),
    prepare: async ({ t }) => ({
      url: `/api/v1/projects/${await strangersProjectId(t)}/access/user/${await freshMember(t)}`,
      body: { role: 'reader' },
    }),
  },
  'DELETE /api/v1/projects/:id/access/:subjectType/:subjectId': {
    delegated: true,
    expect: strangersProject(200),
    prepare: async ({ t }) => {
      const project = await strangersProjectId(t);
      const grantee = await freshMember(t);
      await grantProjectRole(t, { id: project }, { id: grantee }, 'reader');
      return { url: `/api/v1/projects/${project}/access/user/${grantee}` };
    },
  },

  // ---- Roles and permissions (read-only catalogue, R6) ----
  'GET /api/v1/roles': { expect: adminsOnly(200) },
  'GET /api/v1/roles/:id': { expect: adminsOnly(200), prepare: () => ({ url: '/api/v1/roles/owner' }) },
  'POST /api/v1/roles': { expect: readOnlyRole, prepare: () => ({ url: '/api/v1/roles', body: { name: 'custom' } }) },
  'PUT /api/v1/roles/:id': { expect: readOnlyRole, prepare: () => ({ url: '/api/v1/roles/member', body: { name: 'x' } }) },
  'PATCH /api/v1/roles/:id': { expect: readOnlyRole, prepare: () => ({ url: '/api/v1/roles/member', body: { name: 'x' } }) },
  'DELETE /api/v1/roles/:id': { expect: readOnlyRole, prepare: () => ({ url: '/api/v1/roles/member' }) },
  'GET /api/v1/permissions': { expect: adminsOnly(200) },

  // ---- Authorization decisions (about the caller) ----
  'POST /api/v1/authorize': {
    expect: signedIn(200),
    prepare: () => ({ url: '/api/v1/authorize', body: { permission: 'organization.view' } }),
  },
  'GET /api/v1/authorize/explain': {
    expect: signedIn(200),
    prepare: () => ({ url: '/api/v1/authorize/explain?permission=organization.view' }),
  },

  // ---- Groups (view: everyone; manage: Admins and Owners) ----
  'GET /api/v1/groups': { expect: signedIn(200) },
  'POST /api/v1/groups': { expect: adminsOnly(201), prepare: () => ({ url: '/api/v1/groups', body: { name: uniqueName('group') } }) },
  'GET /api/v1/groups/:id': { expect: signedIn(200), prepare: async ({ t }) => ({ url: `/api/v1/groups/${await freshGroup(t)}` }) },
  // Members see who is in a group, but only id and username (SPEC §5.7; tests/api/groups.test.ts).
  'GET /api/v1/groups/:id/members': {
    expect: signedIn(200),
    prepare: async ({ t }) => ({ url: `/api/v1/groups/${await freshGroup(t, await freshMember(t))}/members` }),
  },
  'PATCH /api/v1/groups/:id': {
    expect: adminsOnly(200),
    prepare: async ({ t }) => ({ url: `/api/v1/groups/${await freshGroup(t)}`, body: { description: 'changed' } }),
  },
  'DELETE /api/v1/groups/:id': { expect: adminsOnly(204), prepare: async ({ t }) => ({ url: `/api/v1/groups/${await freshGroup(t)}` }) },
  'PUT /api/v1/groups/:id/members/:userId': {
    expect: adminsOnly(200),
    prepare: async ({ t }) => ({ url: `/api/v1/groups/${await freshGroup(t)}/members/${await freshMember(t)}` }),
  },
  'DELETE /api/v1/groups/:id/members/:userId': {
    expect: adminsOnly(200),
    prepare: async ({ t }) => {
      const member = await freshMember(t);
      return { url: `/api/v1/groups/${await freshGroup(t, member)}/members/${member}` };
    },
  },

  // ---- Audit log ----
  'GET /api/v1/audit': { expect: adminsOnly(200) },
  'GET /api/v1/audit/export': { expect: adminsOnly(200) },
  'POST /api/v1/audit/verify': { expect: adminsOnly(200) },
};

const delegationSource = path.join(repoRoot, 'tests/api/authorization-matrix.test.ts');

interface Cell {
  route: keyof typeof routeMatrix;
  method: Method;
  actor: ActorKind;
  status: number;
}

const cells: Cell[] = Object.entries(routeMatrix).flatMap(([route, row]) => {
  const method = route.split(' ')[0] as Method;
  const main = actorKinds.map((actor): Cell => ({ route: route as Cell['route'], method, actor, status: row.expect[actor] }));
  // Fastify answers HEAD for every GET route: the same decision must apply (checked for the two weakest callers).
  const head =
    method === 'GET'
      ? (['anonymous', 'member'] as const).map(
          (actor): Cell => ({ route: route as Cell['route'], method: 'HEAD', actor, status: row.expect[actor] }),
        )
      : [];
  return [...main, ...head];
});

function rowOf(route: Cell['route']): Row {
  const row = routeMatrix[route];
  if (!row) throw new Error(`no row for ${route}`);
  return row;
}

async function runCell(t: TestApp, cell: Cell) {
  const row = rowOf(cell.route);
  const actor = await buildActor(t, cell.actor);
  const template = cell.route.slice(cell.route.indexOf(' ') + 1);
  const prepared = row.prepare ? await row.prepare({ t, actor }) : { url: template };
  if (prepared.url.includes('/:')) throw new Error(`${cell.route}: the row needs a prepare() that fills the path`);
  const body = cell.method === 'HEAD' || cell.method === 'GET' ? undefined : prepared.body;
  return actor.send(cell.method, prepared.url, body);
}

describeEachDatabase('security: authorization matrix over every route', (dialect) => {
  const t = useTestApp(dialect, { webRoot: minimalWebRoot() });

  for (const cell of cells) {
    it(`${cell.method === 'HEAD' ? cell.route.replace(/^GET/, 'HEAD') : cell.route} as ${cell.actor} → ${cell.status}`, async () => {
      const response = await runCell(t(), cell);
      expect(response.statusCode, response.body.slice(0, 300)).toBe(cell.status);
      if (cell.status >= 400 && cell.method !== 'HEAD') {
        expect(response.headers['content-type']).toContain('application/problem+json');
      }
      if (cell.status === 401 && cell.method !== 'HEAD') expect(['unauthenticated', 'invalid_token']).toContain(response.json().code);
      if (cell.actor === 'restricted' && cell.status === 403 && cell.method !== 'HEAD' && !rowOf(cell.route).public) {
        expect(response.json().code).toBe('password_change_required');
      }
    });
  }

  it('has a row for every registered and every documented route, and every row is a route', async () => {
    const documented = documentedRoutes(await fetchOpenApi(t()));
    const registered = [...registeredRoutes];
    expect(registered.length, 'the onRoute collector saw no route: is vi.mock("fastify") applied?').toBeGreaterThan(40);
    // Every documented operation is a registered route (the document does not describe routes that do not exist).
    expect(documented.filter((route) => !registeredRoutes.has(route))).toEqual([]);

    const keyOf = (route: string) => (route.startsWith('HEAD ') ? route.replace(/^HEAD/, 'GET') : route);
    const missing = [...new Set([...registered, ...documented])].filter((route) => !(keyOf(route) in routeMatrix)).sort();
    expect(missing, `routes without a row: ${missing.join(', ')}`).toEqual([]);
    // Every GET route answers HEAD too (the HEAD cells above rely on it), and every row is a real route.
    for (const route of Object.keys(routeMatrix)) {
      expect(registeredRoutes.has(route), `${route} is not a registered route`).toBe(true);
      if (route.startsWith('GET ')) expect(registeredRoutes.has(route.replace(/^GET/, 'HEAD')), `HEAD for ${route}`).toBe(true);
    }
  });

  it('documents, in the OpenAPI document, every status this table expects of a documented route', async () => {
    const doc = await fetchOpenApi(t());
    const undocumented: string[] = [];
    for (const [route, row] of Object.entries(routeMatrix)) {
      const [method, url] = route.split(' ') as [string, string];
      const operation = doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      if (!operation) continue; // not documented on purpose (health, metrics, docs UI, console files)
      for (const [actor, status] of Object.entries(row.expect)) {
        if (!(String(status) in (operation.responses ?? {}))) undocumented.push(`${route} → ${status} (as ${actor})`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('keeps the delegated rows in tests/api/authorization-matrix.test.ts, and every public route outside /api/v1 is listed here', () => {
    const source = fs.readFileSync(delegationSource, 'utf8');
    const delegatedThere = new Set([...source.matchAll(/^\s*'((?:GET|POST|PUT|PATCH|DELETE) \/api\/v1\/[^']+)':/gm)].map((m) => m[1]));
    const delegatedHere = Object.entries(routeMatrix)
      .filter(([, row]) => row.delegated)
      .map(([route]) => route);
    expect(delegatedHere.length).toBeGreaterThan(0);
    expect(delegatedHere.filter((route) => !delegatedThere.has(route))).toEqual([]);
    // Everything outside /api/v1 must be public on purpose; everything under /api/v1 but openapi.json must not be.
    for (const [route, row] of Object.entries(routeMatrix)) {
      const url = route.slice(route.indexOf(' ') + 1);
      const expectedPublic = !url.startsWith('/api/v1/') || url === '/api/v1/openapi.json';
      expect(Boolean(row.public), `${route}: public?`).toBe(expectedPublic);
    }
  });

  idorTests(t);
});

/**
 * IDOR (OWASP API1 "broken object level authorization"): ids of things the caller may not see or change, on every
 * `:id` route, answer 404 or 403 (never 200/204) and change nothing.
 */
function idorTests(t: () => TestApp) {
  async function expectNothingChanged(
    attempts: Array<{ label: string; run: () => Promise<{ statusCode: number; body: string }>; status: number | number[] }>,
    /** Token callers: their first request stamps the token's lastUsedAt, which is not a change made by the attempt. */
    warm: Actor[] = [],
  ) {
    for (const actor of warm) await actor.send('GET', '/api/v1/me');
    const before = await snapshotTables(t());
    const seq = await lastAuditSeq(t());
    for (const attempt of attempts) {
      const response = await attempt.run();
      const allowed = Array.isArray(attempt.status) ? attempt.status : [attempt.status];
      expect(allowed, `${attempt.label}: ${response.statusCode} ${response.body.slice(0, 200)}`).toContain(response.statusCode);
    }
    expect(await snapshotTables(t())).toEqual(before);
    expect((await auditEventsSince(t(), seq)).filter((event) => event.outcome === 'success').map((e) => e.action)).toEqual([]);
  }

  it("IDOR: another user's session id on DELETE /me/sessions/:id is 404, by token and by session, and the session lives on", async () => {
    const victim = await buildMember(t());
    const victimSession = await sessionHeaders(t(), victim);
    const victimRow = await t()
      .services.database.db.selectFrom('sessions')
      .select('id_digest')
      .where('user_id', '=', victim.user.id)
      .execute();
    const victimId = publicSessionId(victimRow[0]?.id_digest ?? '');
    const attacker = await buildActor(t(), 'member');
    if (!attacker.user) throw new Error('no attacker');
    const attackerSession = await sessionHeaders(t(), attacker.user);
    const admin = await buildActor(t(), 'admin');
    await expectNothingChanged(
      [
        { label: 'member token', run: () => attacker.send('DELETE', `/api/v1/me/sessions/${victimId}`), status: 404 },
        { label: 'member session', run: () => sendAs(t(), attackerSession, 'DELETE', `/api/v1/me/sessions/${victimId}`), status: 404 },
        // Not even an Admin ends someone else's session through the self-service route (that is DELETE /people/:id/sessions).
        { label: 'admin token', run: () => admin.send('DELETE', `/api/v1/me/sessions/${victimId}`), status: 404 },
        { label: 'unknown id', run: () => attacker.send('DELETE', `/api/v1/me/sessions/${'0'.repeat(16)}`), status: 404 },
      ],
      [attacker, admin],
    );
    expect((await sendAs(t(), victimSession, 'GET', '/api/v1/me')).statusCode).toBe(200);
  });

  it('IDOR: a project without access is 404 on every project route (same answer as a project that does not exist)', async () => {
    const member = await buildActor(t(), 'member');
    if (!member.user) throw new Error('no member');
    const stranger = await buildMember(t());
    const project = await buildProject(t(), stranger.user);
    const grantee = await buildMember(t());
    await grantProjectRole(t(), project, grantee.user, 'contributor');
    const me = member.user.user.id;
    const id = project.id;
    await expectNothingChanged(
      [
        { label: 'GET', run: () => member.send('GET', `/api/v1/projects/${id}`), status: 404 },
        { label: 'PATCH', run: () => member.send('PATCH', `/api/v1/projects/${id}`, { name: 'hijacked' }), status: 404 },
        { label: 'DELETE', run: () => member.send('DELETE', `/api/v1/projects/${id}`), status: 404 },
        { label: 'owner → me', run: () => member.send('PUT', `/api/v1/projects/${id}/owner`, { userId: me }), status: 404 },
        { label: 'GET access', run: () => member.send('GET', `/api/v1/projects/${id}/access`), status: 404 },
        {
          label: 'grant me admin',
          run: () => member.send('PUT', `/api/v1/projects/${id}/access/user/${me}`, { role: 'admin' }),
          status: 404,
        },
        {
          label: 'revoke grantee',
          run: () => member.send('DELETE', `/api/v1/projects/${id}/access/user/${grantee.user.id}`),
          status: 404,
        },
        {
          label: 'explain on it',
          run: () => member.send('GET', `/api/v1/authorize/explain?permission=project.view&projectId=${id}`),
          status: [200, 404],
        },
      ],
      [member],
    );
    const hidden = await member.send('GET', `/api/v1/projects/${id}`);
    const absent = await member.send('GET', `/api/v1/projects/${randomUUID()}`);
    expect(hidden.json().code).toBe(absent.json().code);
    expect(hidden.body).not.toContain(project.name);
    // The decision API must not leak the project's name either.
    const explained = await member.send('GET', `/api/v1/authorize/explain?permission=project.view&projectId=${id}`);
    expect(explained.body).not.toContain(project.name);
    const decided = await member.send('POST', '/api/v1/authorize', { permission: 'project.view', projectId: id });
    expect(decided.body).not.toContain(project.name);
    if (decided.statusCode === 200) expect(decided.json().allowed).toBe(false);
  });

  it('IDOR: a Reader or Contributor cannot change, take over or escalate on a granted project', async () => {
    for (const role of ['reader', 'contributor'] as const) {
      const member = await buildActor(t(), 'member');
      if (!member.user) throw new Error('no member');
      const stranger = await buildMember(t());
      const project = await buildProject(t(), stranger.user);
      await grantProjectRole(t(), project, member.user.user, role);
      const colleague = await buildMember(t());
      await grantProjectRole(t(), project, colleague.user, 'reader');
      const me = member.user.user.id;
      const id = project.id;
      await expectNothingChanged(
        [
          {
            label: `${role} PATCH`,
            run: () => member.send('PATCH', `/api/v1/projects/${id}`, { name: uniqueName('hijacked') }),
            status: 403,
          },
          { label: `${role} DELETE`, run: () => member.send('DELETE', `/api/v1/projects/${id}`), status: 403 },
          { label: `${role} owner → me`, run: () => member.send('PUT', `/api/v1/projects/${id}/owner`, { userId: me }), status: 403 },
          {
            label: `${role} grant me admin`,
            run: () => member.send('PUT', `/api/v1/projects/${id}/access/user/${me}`, { role: 'admin' }),
            status: 403,
          },
          {
            label: `${role} revoke a colleague`,
            run: () => member.send('DELETE', `/api/v1/projects/${id}/access/user/${colleague.user.id}`),
            status: 403,
          },
        ],
        [member],
      );
    }
  });

  it('IDOR: a Member changes no group, joins no Admin group and removes nobody from a group', async () => {
    const member = await buildActor(t(), 'member');
    if (!member.user) throw new Error('no member');
    const other = await buildMember(t());
    const group = await freshGroup(t(), other.user.id);
    await t().services.database.db.updateTable('groups').set({ role: 'admin' }).where('id', '=', group).execute();
    const me = member.user.user.id;
    await expectNothingChanged(
      [
        { label: 'join admin group', run: () => member.send('PUT', `/api/v1/groups/${group}/members/${me}`), status: 403 },
        { label: 'remove other', run: () => member.send('DELETE', `/api/v1/groups/${group}/members/${other.user.id}`), status: 403 },
        { label: 'rename', run: () => member.send('PATCH', `/api/v1/groups/${group}`, { name: uniqueName('hijacked') }), status: 403 },
        { label: 'demote group', run: () => member.send('PATCH', `/api/v1/groups/${group}`, { role: null }), status: 403 },
        { label: 'delete', run: () => member.send('DELETE', `/api/v1/groups/${group}`), status: 403 },
        {
          label: 'grant group on project',
          run: () => member.send('PUT', `/api/v1/projects/${randomUUID()}/access/group/${group}`, { role: 'admin' }),
          status: 404,
        },
      ],
      [member],
    );
    expect((await member.send('GET', '/api/v1/me')).json().effectiveRole).toBe('member');
  });

  it('IDOR: an Admin cannot act on an Owner or another Admin, nor promote themselves', async () => {
    const admin = await buildActor(t(), 'admin');
    if (!admin.user) throw new Error('no admin');
    const owner = await buildOwner(t());
    const peer = await buildAdmin(t());
    const id = owner.user.id;
    await expectNothingChanged(
      [
        { label: 'owner role', run: () => admin.send('PUT', `/api/v1/people/${id}/role`, { role: 'member' }), status: 403 },
        {
          label: 'owner email',
          run: () => admin.send('PUT', `/api/v1/people/${id}/email`, { email: `${uniqueName('x')}@example.com` }),
          status: 403,
        },
        { label: 'owner reset', run: () => admin.send('POST', `/api/v1/people/${id}/password-reset`, {}), status: 403 },
        { label: 'owner unlock', run: () => admin.send('POST', `/api/v1/people/${id}/unlock`), status: 403 },
        { label: 'owner sessions', run: () => admin.send('DELETE', `/api/v1/people/${id}/sessions`), status: 403 },
        { label: 'owner remove', run: () => admin.send('DELETE', `/api/v1/people/${id}`), status: 403 },
        { label: 'peer admin remove', run: () => admin.send('DELETE', `/api/v1/people/${peer.user.id}`), status: 403 },
        {
          label: 'self promote',
          run: () => admin.send('PUT', `/api/v1/people/${admin.user?.user.id}/role`, { role: 'owner' }),
          status: 403,
        },
      ],
      [admin],
    );
  });

  it('IDOR: a Member may ask the decision API only about themselves', async () => {
    const member = await buildActor(t(), 'member');
    const other = await buildAdmin(t());
    await expectNothingChanged(
      [
        {
          label: 'authorize other',
          run: () => member.send('POST', '/api/v1/authorize', { permission: 'organization.people.view', userId: other.user.id }),
          status: 403,
        },
        {
          label: 'explain other',
          run: () => member.send('GET', `/api/v1/authorize/explain?permission=organization.view&userId=${other.user.id}`),
          status: 403,
        },
        { label: 'person', run: () => member.send('GET', `/api/v1/people/${other.user.id}`), status: 403 },
      ],
      [member],
    );
  });
}
