import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { OrganizationRole } from '../../src/shared/permissions.js';
import { describeEachDatabase } from '../support/databases.js';
import { buildApiToken, buildMember, buildProject, buildUser, grantProjectRole } from '../support/factories.js';
import { type TestApp, useTestApp } from '../support/test-app.js';

/**
 * Every people and project endpoint × actor × target → the expected status, in one table. One test per cell; and a
 * test that fails when a /api/v1/people or /api/v1/projects route has no row here.
 *
 * People targets are relative to the actor's role: `self`, `lower`, `equal`, `higher` (a Member has no `lower`, an
 * Owner no `higher`). Project targets: `own` (the actor owns it), `granted` (Reader grant), `none` (no access at all).
 */
type Actor = 'anonymous' | 'member' | 'admin' | 'owner';
type PersonTarget = 'self' | 'lower' | 'equal' | 'higher';
type ProjectTarget = 'own' | 'granted' | 'none';
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface CellContext {
  actorId: string | null;
  /** The direct role of the person target, if any. */
  targetRole: OrganizationRole | null;
  /** A fresh active Member, e.g. the new owner of a transferred project. */
  spareUserId: string;
}

type Row =
  | { target: null; body?: (c: CellContext) => object; expect: Record<Actor, number> }
  | {
      target: 'person';
      body?: (c: CellContext) => object;
      expect: { anonymous: number } & Record<Exclude<Actor, 'anonymous'>, Partial<Record<PersonTarget, number>>>;
    }
  | {
      target: 'project';
      body?: (c: CellContext) => object;
      expect: { anonymous: number } & Record<Exclude<Actor, 'anonymous'>, Record<ProjectTarget, number>>;
    };

/** R2 for an action on a person: Owners act on everyone but themselves, Admins on Members only, Members on nobody. */
const managePerson = (ok: number) => ({
  anonymous: 401,
  member: { self: 403, equal: 403, higher: 403 },
  admin: { self: 403, lower: ok, equal: 403, higher: 403 },
  owner: { self: 403, lower: ok, equal: ok },
});

const everyone = (status: number) => ({ anonymous: 401, member: status, admin: status, owner: status });
const peopleViewers = (status: number) => ({ anonymous: 401, member: 403, admin: status, owner: status });
/** Members reach their own projects and granted ones (read-only); Owners and Admins reach every project as project Admins. */
const projectChange = (ok: number) => ({
  anonymous: 401,
  member: { own: ok, granted: 403, none: 404 },
  admin: { own: ok, granted: ok, none: ok },
  owner: { own: ok, granted: ok, none: ok },
});

export const matrix: Record<`${Method} /api/v1/${string}`, Row> = {
  'GET /api/v1/people': { target: null, expect: peopleViewers(200) },
  'POST /api/v1/people': {
    target: null,
    body: () => ({ accounts: [{ email: `matrix-${randomUUID()}@example.com` }] }),
    expect: peopleViewers(200),
  },
  'GET /api/v1/people/export': { target: null, expect: peopleViewers(200) },
  // Also open to project Admins (tests/api/people/lookup.test.ts); the matrix's Member administers no project.
  'GET /api/v1/people/lookup': { target: null, expect: peopleViewers(200) },
  'GET /api/v1/people/:id': {
    target: 'person',
    expect: {
      anonymous: 401,
      member: { self: 403, equal: 403, higher: 403 },
      admin: { self: 200, lower: 200, equal: 200, higher: 200 },
      owner: { self: 200, lower: 200, equal: 200 },
    },
  },
  // Yourself always; anyone else needs organization.people.view (no rank rule: reading is not managing).
  'GET /api/v1/people/:id/permissions': {
    target: 'person',
    expect: {
      anonymous: 401,
      member: { self: 200, equal: 403, higher: 403 },
      admin: { self: 200, lower: 200, equal: 200, higher: 200 },
      owner: { self: 200, lower: 200, equal: 200 },
    },
  },
  'PUT /api/v1/people/:id/role': {
    target: 'person',
    // Always a real change: setting the role someone already has is a no-op, not a refusal.
    body: (c) => ({ role: c.targetRole === 'member' ? 'admin' : 'member' }),
    // An Owner may step down while another Owner exists (the suite's own Owner always does).
    expect: { ...managePerson(200), owner: { self: 200, lower: 200, equal: 200 } },
  },
  'PUT /api/v1/people/:id/email': {
    target: 'person',
    body: () => ({ email: `matrix-${randomUUID()}@example.com` }),
    expect: managePerson(200),
  },
  'POST /api/v1/people/:id/password-reset': { target: 'person', body: () => ({}), expect: managePerson(200) },
  'POST /api/v1/people/:id/unlock': { target: 'person', expect: managePerson(200) },
  'POST /api/v1/people/:id/mfa-reset': { target: 'person', expect: managePerson(200) },
  'DELETE /api/v1/people/:id/sessions': { target: 'person', expect: managePerson(200) },
  'DELETE /api/v1/people/:id': {
    target: 'person',
    // An Owner may remove their own account while another Owner exists.
    expect: { ...managePerson(204), owner: { self: 204, lower: 204, equal: 204 } },
  },
  'GET /api/v1/projects': { target: null, expect: everyone(200) },
  'POST /api/v1/projects': { target: null, body: () => ({ name: `matrix ${randomUUID()}` }), expect: everyone(201) },
  'GET /api/v1/projects/:id': {
    target: 'project',
    expect: {
      anonymous: 401,
      member: { own: 200, granted: 200, none: 404 },
      admin: { own: 200, granted: 200, none: 200 },
      owner: { own: 200, granted: 200, none: 200 },
    },
  },
  'PATCH /api/v1/projects/:id': { target: 'project', body: () => ({ description: 'changed by the matrix' }), expect: projectChange(200) },
  'DELETE /api/v1/projects/:id': { target: 'project', expect: projectChange(204) },
  'PUT /api/v1/projects/:id/owner': { target: 'project', body: (c) => ({ userId: c.spareUserId }), expect: projectChange(200) },
  'GET /api/v1/projects/:id/access': {
    target: 'project',
    expect: {
      anonymous: 401,
      member: { own: 200, granted: 200, none: 404 },
      admin: { own: 200, granted: 200, none: 200 },
      owner: { own: 200, granted: 200, none: 200 },
    },
  },
  'PUT /api/v1/projects/:id/access/:subjectType/:subjectId': {
    target: 'project',
    body: () => ({ role: 'reader' }),
    expect: projectChange(200),
  },
  'DELETE /api/v1/projects/:id/access/:subjectType/:subjectId': { target: 'project', expect: projectChange(200) },
};

const rank: OrganizationRole[] = ['member', 'admin', 'owner'];

function relativeRole(actor: OrganizationRole, target: Exclude<PersonTarget, 'self'>): OrganizationRole {
  const index = rank.indexOf(actor) + (target === 'lower' ? -1 : target === 'higher' ? 1 : 0);
  const role = rank[index];
  if (!role) throw new Error(`no ${target} role than ${actor}`);
  return role;
}

interface Cell {
  endpoint: keyof typeof matrix;
  actor: Actor;
  target: PersonTarget | ProjectTarget | null;
  status: number;
}

function cellsOf(endpoint: keyof typeof matrix, row: Row): Cell[] {
  if (row.target === null) {
    return Object.entries(row.expect).map(([actor, status]): Cell => ({ endpoint, actor: actor as Actor, target: null, status }));
  }
  return Object.entries(row.expect).flatMap(([actor, expected]) =>
    typeof expected === 'number'
      ? [{ endpoint, actor: actor as Actor, target: null, status: expected } satisfies Cell]
      : Object.entries(expected as Record<string, number>).map(
          ([target, status]): Cell => ({
            endpoint,
            actor: actor as Actor,
            target: target as PersonTarget | ProjectTarget,
            status,
          }),
        ),
  );
}

const cells = Object.entries(matrix).flatMap(([endpoint, row]) => cellsOf(endpoint as keyof typeof matrix, row));

async function runCell(t: TestApp, cell: Cell) {
  const row = matrix[cell.endpoint];
  if (!row) throw new Error(`no row for ${cell.endpoint}`);
  const [method, path] = cell.endpoint.split(' ') as [Method, string];
  const actor = cell.actor === 'anonymous' ? null : await buildUser(t, { role: cell.actor });
  const headers: Record<string, string> = actor ? { authorization: `Bearer ${await buildApiToken(t, actor.user)}` } : {};
  const spare = await buildMember(t);

  let id: string | null = null;
  let targetRole: OrganizationRole | null = null;
  if (row.target === 'person') {
    const target =
      cell.target === 'self' && actor
        ? actor
        : actor && cell.target
          ? await buildUser(t, { role: relativeRole(actor.user.role, cell.target as Exclude<PersonTarget, 'self'>) })
          : await buildMember(t);
    id = target.user.id;
    targetRole = target.user.role;
  } else if (row.target === 'project') {
    const stranger = await buildMember(t);
    if (cell.target === 'own' && actor) id = (await buildProject(t, actor.user)).id;
    else {
      const project = await buildProject(t, stranger.user);
      if (cell.target === 'granted' && actor) await grantProjectRole(t, project, actor.user, 'reader');
      id = project.id;
    }
  }
  // Sub-resources name the spare Member as their subject (project access).
  const url = path
    .replace(':id', id ?? '')
    .replace(':subjectType', 'user')
    .replace(':subjectId', spare.user.id);
  const body = row.body?.({ actorId: actor?.user.id ?? null, targetRole, spareUserId: spare.user.id });
  return t.app.inject({ method, url, headers, ...(body ? { payload: body } : {}) });
}

describeEachDatabase('authorization matrix', (dialect) => {
  const t = useTestApp(dialect);

  for (const cell of cells) {
    it(`${cell.endpoint} as ${cell.actor}${cell.target ? ` on ${cell.target}` : ''} → ${cell.status}`, async () => {
      const response = await runCell(t(), cell);
      expect(response.statusCode, response.body.slice(0, 300)).toBe(cell.status);
      if (cell.status >= 400) expect(response.headers['content-type']).toContain('application/problem+json');
    });
  }

  it('has a row for every people and project route, and every row is a route', () => {
    const paths = (t().app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths;
    const routes = Object.entries(paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const guarded = routes.filter((route) => /^\w+ \/api\/v1\/(people|projects)(\/|$)/.test(route));
    expect(guarded.length).toBeGreaterThan(0);
    expect(
      guarded.filter((route) => !(route in matrix)),
      'routes without a row in the authorization matrix',
    ).toEqual([]);
    for (const key of Object.keys(matrix)) {
      const [method, url] = key.split(' ') as [Method, string];
      expect(t().app.hasRoute({ method, url }), `${key} is not a route`).toBe(true);
    }
  });
});
