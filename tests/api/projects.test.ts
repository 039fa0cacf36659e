import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { pageOfProjects, visibleProjectsPageQuery, visibleSetLimit } from '../../src/storage/queries/projects.js';
import { describeEachDatabase, postgresAdminUrl, postgresSkipReason } from '../support/databases.js';
import {
  buildAdmin,
  buildApiToken,
  buildMember,
  buildOwner,
  buildProject,
  grantProjectRole,
  insertInChunks,
} from '../support/factories.js';
import {
  capturedStatements,
  describePlan,
  type ExplainRows,
  planNodes,
  scansBeyondOneRow,
  vacuumUntilAllVisible,
} from '../support/postgres-plans.js';
import { type TestApp, useTestApp } from '../support/test-app.js';

async function caller(t: TestApp, role: 'owner' | 'admin' | 'member' = 'member') {
  const person = role === 'owner' ? await buildOwner(t) : role === 'admin' ? await buildAdmin(t) : await buildMember(t);
  const token = await buildApiToken(t, person.user);
  const call = (method: InjectOptions['method'], url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  return { ...person, call };
}

/** Every project id `GET /projects` lists to `who`, page by page with the cursor, `limit` at a time. */
async function listedIds(who: Awaited<ReturnType<typeof caller>>, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Array<{ id: string }>; nextCursor: string | null } = (
      await who.call('GET', `/api/v1/projects?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
    ).json();
    ids.push(...page.items.map((p) => p.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

/**
 * Rows for a large directory, inserted straight into the tables (the plan tests): `count` groups `g-<tag>-<i>` and
 * projects `p-<tag>-<i>` named `<tag>-project-<i>` (zero-padded, so name order is number order), owned by `ownerId`.
 */
function bulkGroups(tag: string, count: number, now: string) {
  return Array.from({ length: count }, (_, i) => ({
    id: `g-${tag}-${i}`,
    name: `${tag}-${i}`,
    name_canonical: `${tag}-${i}`,
    description: '',
    role: null,
    created_at: now,
  }));
}

function bulkProjects(tag: string, count: number, ownerId: string, now: string) {
  return Array.from({ length: count }, (_, i) => ({
    id: `p-${tag}-${i}`,
    name: `${tag}-project-${String(i).padStart(4, '0')}`,
    name_canonical: `${tag}-project-${String(i).padStart(4, '0')}`,
    description: '',
    owner_id: ownerId,
    created_at: now,
  }));
}

async function auditEvents(t: TestApp, targetId: string) {
  return t.services.database.db
    .selectFrom('audit_events')
    .select(['action', 'outcome', 'details'])
    .where('target_id', '=', targetId)
    .orderBy('seq')
    .execute();
}

describeEachDatabase('projects', (dialect) => {
  const t = useTestApp(dialect);

  it('creates a project owned by its creator, with names unique in any case', async () => {
    const member = await caller(t());
    const created = await member.call('POST', '/api/v1/projects', { name: '  Rocket  ', description: 'Goes up' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      name: 'Rocket',
      description: 'Goes up',
      ownerId: member.user.id,
      owner: { id: member.user.id, username: member.user.username },
      abilities: { edit: true, delete: true, transferOwnership: true },
    });
    const clash = await member.call('POST', '/api/v1/projects', { name: 'ROCKET' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().code).toBe('name_taken');
    expect((await member.call('POST', '/api/v1/projects', { name: '   ' })).statusCode).toBe(400);
    expect((await member.call('POST', '/api/v1/projects', { name: 'x', ownerId: member.user.id })).statusCode).toBe(400);
    expect((await auditEvents(t(), created.json().id)).map((e) => e.action)).toEqual(['project.created']);
  });

  it('lists only what a Member can see: owned, granted directly or through a group; everything for Admins', async () => {
    const member = await caller(t());
    const other = await buildMember(t());
    const owned = await buildProject(t(), member.user, { name: 'vis-owned' });
    const granted = await buildProject(t(), other.user, { name: 'vis-granted' });
    const viaGroup = await buildProject(t(), other.user, { name: 'vis-group' });
    const hidden = await buildProject(t(), other.user, { name: 'vis-hidden' });
    await grantProjectRole(t(), granted, member.user, 'reader');
    const now = t().services.now().toISOString();
    const db = t().services.database.db;
    await db
      .insertInto('groups')
      .values({ id: 'g-vis', name: 'vis', name_canonical: 'vis', description: '', role: null, created_at: now })
      .execute();
    await db.insertInto('group_members').values({ group_id: 'g-vis', user_id: member.user.id, created_at: now }).execute();
    await db
      .insertInto('project_access')
      .values({ project_id: viaGroup.id, subject_type: 'group', subject_id: 'g-vis', role: 'contributor', created_at: now })
      .execute();

    const names = (response: { json(): { items: Array<{ name: string }> } }) =>
      response
        .json()
        .items.map((p) => p.name)
        .filter((n) => n.startsWith('vis-'));
    expect(names(await member.call('GET', '/api/v1/projects?limit=500'))).toEqual(['vis-granted', 'vis-group', 'vis-owned']);
    const admin = await caller(t(), 'admin');
    expect(names(await admin.call('GET', '/api/v1/projects?limit=500'))).toEqual(['vis-granted', 'vis-group', 'vis-hidden', 'vis-owned']);

    expect((await member.call('GET', `/api/v1/projects/${hidden.id}`)).statusCode).toBe(404);
    expect((await member.call('GET', `/api/v1/projects/${owned.id}`)).json().abilities).toMatchObject({ edit: true, delete: true });
    expect((await member.call('GET', `/api/v1/projects/${granted.id}`)).json().abilities).toEqual({
      edit: false,
      delete: false,
      transferOwnership: false,
      viewAccess: true,
      manageAccess: false,
    });
  });

  it('reads a Member’s projects from what they can see: the same pages as walking every project, in either way', async () => {
    const member = await caller(t());
    const other = await buildMember(t());
    const db = t().services.database.db;
    const now = t().services.now().toISOString();
    await db
      .insertInto('groups')
      .values([
        { id: 'g-eq-mine', name: 'eq-mine', name_canonical: 'eq-mine', description: '', role: null, created_at: now },
        { id: 'g-eq-theirs', name: 'eq-theirs', name_canonical: 'eq-theirs', description: '', role: null, created_at: now },
      ])
      .execute();
    await db.insertInto('group_members').values({ group_id: 'g-eq-mine', user_id: member.user.id, created_at: now }).execute();
    const visible: string[] = [];
    for (let i = 0; i < 24; i++) {
      const project = await buildProject(t(), i % 6 === 0 ? member.user : other.user, { name: `eq-${String(i).padStart(2, '0')}` });
      const grant = (subjectType: 'user' | 'group', subjectId: string) =>
        db
          .insertInto('project_access')
          .values({ project_id: project.id, subject_type: subjectType, subject_id: subjectId, role: 'reader', created_at: now })
          .execute();
      if (i % 4 === 1) await grant('user', member.user.id);
      if (i % 4 === 2 || i % 5 === 0) await grant('group', 'g-eq-mine'); // eq-00 is owned and granted: listed once
      if (i % 4 === 3) await grant('group', 'g-eq-theirs');
      if (i % 6 === 0 || i % 4 === 1 || i % 4 === 2 || i % 5 === 0) visible.push(project.id);
    }
    expect(visible.length).toBeGreaterThan(12);

    const grantee = { userId: member.user.id, groupIds: ['g-eq-mine'] };
    const allPages = async (setLimit: number) => {
      const ids: string[] = [];
      let after: { name: string; id: string } | null = null;
      for (;;) {
        const rows = await pageOfProjects(db, { after, visibleTo: grantee }, 5, setLimit);
        ids.push(...rows.map((row) => row.id));
        const last = rows.at(-1);
        if (rows.length < 5 || !last) return ids;
        after = { name: last.name_canonical, id: last.id };
      }
    };
    // From the visible ids (all of them fit the bound); walking the name order (no bound); more than the bound: walking.
    expect(await allPages(visibleSetLimit)).toEqual(visible);
    expect(await allPages(0)).toEqual(visible);
    expect(await allPages(3)).toEqual(visible);

    expect(await listedIds(member, 5)).toEqual(visible);

    if (dialect === 'sqlite') {
      // SQLite keeps no statistics: the page must be driven from the visible ids (a primary-key search per id), never
      // a walk of every project in name order, which is what made a Member's list cost as much as the whole instance.
      const { sql: text, parameters } = visibleProjectsPageQuery(db, grantee, null, 51).compile();
      const plan = t()
        .services.database.raw.sqlite?.prepare(`EXPLAIN QUERY PLAN ${text}`)
        .all(...(parameters as unknown[])) as Array<{ detail: string }>;
      const details = plan.map((row) => row.detail);
      expect(
        details.some((d) => /SEARCH projects USING INDEX sqlite_autoindex_projects_1 \(id=\?\)/.test(d)),
        details.join('\n'),
      ).toBe(true);
      expect(
        details.filter((d) => /^SCAN projects\b/.test(d)),
        details.join('\n'),
      ).toEqual([]);
    }
  });

  it('pages projects with a cursor, each exactly once', async () => {
    const owner = await caller(t(), 'owner');
    for (let i = 0; i < 5; i++) await buildProject(t(), owner.user, { name: `page-${i}` });
    const total = (await t().services.database.db.selectFrom('projects').select('id').execute()).length;
    const seen = await listedIds(owner, 2);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('answers 404, never 403, to a caller without access; 403 to one who sees but may not change', async () => {
    const outsider = await caller(t());
    const reader = await caller(t());
    const owner = await buildMember(t());
    const project = await buildProject(t(), owner.user);
    await grantProjectRole(t(), project, reader.user, 'reader');
    for (const [method, url, body] of [
      ['GET', `/api/v1/projects/${project.id}`],
      ['PATCH', `/api/v1/projects/${project.id}`, { name: 'stolen' }],
      ['DELETE', `/api/v1/projects/${project.id}`],
      ['PUT', `/api/v1/projects/${project.id}/owner`, { userId: outsider.user.id }],
    ] as Array<[InjectOptions['method'], string, object?]>) {
      const hidden = await outsider.call(method, url, body);
      expect(hidden.statusCode, `${method} ${url}`).toBe(404);
      expect(hidden.body).not.toContain(project.name);
      if (method !== 'GET') expect((await reader.call(method, url, body)).statusCode, `${method} as reader`).toBe(403);
    }
    expect((await outsider.call('GET', '/api/v1/projects/does-not-exist')).statusCode).toBe(404);
  });

  it('renames and describes a project, auditing before and after', async () => {
    const member = await caller(t());
    const project = await buildProject(t(), member.user, { name: 'Old Name' });
    await buildProject(t(), member.user, { name: 'Occupied Name' });
    expect((await member.call('PATCH', `/api/v1/projects/${project.id}`, { name: 'occupied name' })).json().code).toBe('name_taken');
    const renamed = await member.call('PATCH', `/api/v1/projects/${project.id}`, { name: 'New Name', description: 'Now with words' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'New Name', description: 'Now with words' });
    const events = await auditEvents(t(), project.id);
    expect(events.map((e) => e.action)).toEqual(['project.updated']);
    expect(JSON.parse(events[0]?.details ?? '{}')).toEqual({
      before: { name: 'Old Name', description: '' },
      after: { name: 'New Name', description: 'Now with words' },
    });
  });

  it('deletes a project with its grants', async () => {
    const member = await caller(t());
    const reader = await buildMember(t());
    const project = await buildProject(t(), member.user);
    await grantProjectRole(t(), project, reader.user, 'reader');
    expect((await member.call('DELETE', `/api/v1/projects/${project.id}`)).statusCode).toBe(204);
    expect((await member.call('GET', `/api/v1/projects/${project.id}`)).statusCode).toBe(404);
    const grants = await t().services.database.db.selectFrom('project_access').selectAll().where('project_id', '=', project.id).execute();
    expect(grants).toEqual([]);
    expect((await auditEvents(t(), project.id)).map((e) => e.action)).toEqual(['project.deleted']);
  });

  it('transfers ownership to an active person; the old owner keeps only their other access', async () => {
    const member = await caller(t());
    const heir = await buildMember(t());
    const removed = await buildMember(t());
    await t().services.database.db.updateTable('users').set({ status: 'removed' }).where('id', '=', removed.user.id).execute();
    const project = await buildProject(t(), member.user);

    const toRemoved = await member.call('PUT', `/api/v1/projects/${project.id}/owner`, { userId: removed.user.id });
    expect(toRemoved.statusCode).toBe(400);
    expect(toRemoved.json().errors).toEqual([{ field: '/userId', message: expect.any(String) }]);

    const moved = await member.call('PUT', `/api/v1/projects/${project.id}/owner`, { userId: heir.user.id });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ ownerId: heir.user.id, owner: { username: heir.user.username }, abilities: { edit: false } });
    expect((await member.call('GET', `/api/v1/projects/${project.id}`)).statusCode).toBe(404);

    const events = await auditEvents(t(), project.id);
    expect(events.map((e) => e.action)).toEqual(['project.owner_changed']);
    expect(JSON.parse(events[0]?.details ?? '{}')).toEqual({
      before: { id: member.user.id, username: member.user.username },
      after: { id: heir.user.id, username: heir.user.username },
    });
  });

  it('lets a project Admin who is not the owner transfer, and an instance Admin too', async () => {
    const owner = await buildMember(t());
    const projectAdmin = await caller(t());
    const instanceAdmin = await caller(t(), 'admin');
    const project = await buildProject(t(), owner.user);
    await grantProjectRole(t(), project, projectAdmin.user, 'admin');
    expect((await projectAdmin.call('PUT', `/api/v1/projects/${project.id}/owner`, { userId: projectAdmin.user.id })).statusCode).toBe(200);
    expect((await instanceAdmin.call('PUT', `/api/v1/projects/${project.id}/owner`, { userId: owner.user.id })).statusCode).toBe(200);
  });

  it('requires a login', async () => {
    expect((await t().app.inject({ method: 'GET', url: '/api/v1/projects' })).statusCode).toBe(401);
  });
});

// PostgreSQL plans from statistics: a person whose groups hold many grants on average is expected to see hundreds of
// projects. The page must still be read by probing `projects` once per visible id, never by reading every project
// (docs/decisions/0027-authorize-one-read.md, third amendment).
describe.skipIf(!postgresAdminUrl)('projects [postgres plans]', () => {
  if (!postgresAdminUrl) console.warn(postgresSkipReason);
  const t = useTestApp('postgres');

  it('reads the page of a person who sees one project by key, whatever the number of projects', async () => {
    const db = t().services.database.db;
    const now = t().services.now().toISOString();
    const member = await caller(t());
    const owner = await buildMember(t());
    const groups = bulkGroups('pp', 2000, now);
    await insertInChunks(db, 'groups', groups);
    // The person's 50 groups are among 2,000 that hold 12 grants each on average; theirs hold one grant between them.
    await db
      .insertInto('group_members')
      .values(Array.from({ length: 50 }, (_, i) => ({ group_id: `g-pp-${1950 + i}`, user_id: member.user.id, created_at: now })))
      .execute();
    const projects = bulkProjects('pp', 4000, owner.user.id, now);
    await insertInChunks(db, 'projects', projects);
    const grants = [
      ...Array.from({ length: 23_400 }, (_, i) => ({ project: (i * 7) % 4000, group: i % 1950 })),
      { project: 1234, group: 1999 },
    ].map(({ project, group }) => ({
      project_id: `p-pp-${project}`,
      subject_type: 'group' as const,
      subject_id: `g-pp-${group}`,
      role: 'reader' as const,
      created_at: now,
    }));
    const unique = [...new Map(grants.map((g) => [`${g.project_id}/${g.subject_id}`, g])).values()];
    await insertInChunks(db, 'project_access', unique, 1000);
    const pool = t().services.database.raw.pool;
    if (!pool) throw new Error('a PostgreSQL database has a pool');
    await pool.query('ANALYZE groups, group_members, project_access, projects');

    const grantee = { userId: member.user.id, groupIds: Array.from({ length: 50 }, (_, i) => `g-pp-${1950 + i}`) };
    const { sql: text, parameters } = visibleProjectsPageQuery(db, grantee, null, 51).compile();
    const explained = await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, parameters as unknown[]);
    const nodes = planNodes(explained.rows as ExplainRows);
    expect(
      nodes.filter((n) => n['Relation Name'] === 'projects'),
      describePlan(nodes),
    ).not.toEqual([]);
    expect(scansBeyondOneRow(nodes, ['projects']), describePlan(nodes)).toEqual([]);
    expect(await listedIds(member, 50)).toEqual(['p-pp-1234']);
  });

  // Someone in 40 groups that reach 2,400 of 3,000 projects: more than `visibleSetLimit`, so the page walks the name
  // order. The count of their visible projects and the walk read the person's grants from the subject index alone
  // (it holds the project): before, both read every grant they found from the table (a BitmapOr of the person's own
  // grants and their groups', then a bitmap heap scan of 2,001 and 2,400 grants).
  it('counts and walks the projects of a person who sees thousands reading their grants from the index alone', async () => {
    const database = t().services.database;
    const now = t().services.now().toISOString();
    const member = await caller(t());
    const owner = await buildMember(t());
    const groups = bulkGroups('pw', 400, now);
    await insertInChunks(database.db, 'groups', groups);
    await database.db
      .insertInto('group_members')
      .values(Array.from({ length: 40 }, (_, i) => ({ group_id: `g-pw-${i}`, user_id: member.user.id, created_at: now })))
      .execute();
    const projects = bulkProjects('pw', 3000, owner.user.id, now);
    await insertInChunks(database.db, 'projects', projects);
    // Each of the 400 groups holds 60 grants, group g on every 50th project from the g-th (8 groups per project); the
    // person's groups, the first 40, reach the projects whose number ends in 00-39 modulo 50: 2,400.
    const grants = groups.flatMap((_, g) =>
      Array.from({ length: 60 }, (_, i) => ({
        project_id: `p-pw-${(i * 50 + g) % 3000}`,
        subject_type: 'group' as const,
        subject_id: `g-pw-${g}`,
        role: (i % 3 === 0 ? 'contributor' : 'reader') as 'contributor' | 'reader',
        created_at: now,
      })),
    );
    const unique = [...new Map(grants.map((g) => [`${g.project_id}/${g.subject_id}`, g])).values()];
    await insertInChunks(database.db, 'project_access', unique, 1000);
    const pool = database.raw.pool;
    if (!pool) throw new Error('a PostgreSQL database has a pool');
    await vacuumUntilAllVisible(pool, ['groups', 'group_members', 'project_access', 'projects']);

    const mine = new Set(Array.from({ length: 40 }, (_, i) => `g-pw-${i}`));
    const visible = [...new Set(unique.filter((g) => mine.has(g.subject_id)).map((g) => g.project_id))];
    expect(visible.length).toBeGreaterThan(visibleSetLimit);
    const grantee = { userId: member.user.id, groupIds: [...mine] };

    const statements = await capturedStatements(database, (db) => pageOfProjects(db, { after: null, visibleTo: grantee }, 51));
    // The count of the visible ids, then the walk.
    expect(statements.length).toBe(2);
    for (const statement of statements) {
      const result = await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.sql}`, [...statement.parameters]);
      const nodes = planNodes(result.rows as ExplainRows);
      const grantReads = nodes.filter((n) => n['Relation Name'] === 'project_access');
      const text = `${statement.sql}\n${describePlan(nodes)}`;
      expect(grantReads, text).not.toEqual([]);
      expect(
        grantReads.filter((n) => n['Node Type'] !== 'Index Only Scan' || (n['Heap Fetches'] ?? 0) > 0),
        text,
      ).toEqual([]);
    }

    const expected = projects.filter((p) => visible.includes(p.id)).map((p) => p.id);
    const page = (await member.call('GET', '/api/v1/projects?limit=50')).json() as {
      items: Array<{ id: string; abilities: Record<string, boolean> }>;
    };
    expect(page.items.map((p) => p.id)).toEqual(expected.slice(0, 50));
  });
});
