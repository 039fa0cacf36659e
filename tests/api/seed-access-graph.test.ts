import { expect, it } from 'vitest';
import { seedPeople } from '../../src/domain/people/seed-people.js';
import { seedAccessGraph } from '../../src/domain/seed/seed-access-graph.js';
import { describeEachDatabase } from '../support/databases.js';
import { buildApiToken } from '../support/factories.js';
import { createTestApp, type TestApp, useTestApp } from '../support/test-app.js';

/**
 * docs/product/running.md#command-line: `roster admin seed --projects/--groups/--memberships/--grants --seed`, the
 * company-sized access graph of the benchmark, at a small size. What it writes is real data the server reads.
 */
const shape = { projects: 40, groups: 12, memberships: 300, grants: 500 };

/** The graph by names, not ids: what one seed must draw again on another database. */
async function graphByNames(t: TestApp): Promise<{ owners: string[]; members: string[]; grants: string[] }> {
  const db = t.services.database.db;
  const owners = await db
    .selectFrom('projects')
    .innerJoin('users', 'users.id', 'projects.owner_id')
    .select(['projects.name', 'users.username'])
    .where('projects.name', 'like', 'seed-project-%')
    .orderBy('projects.name')
    .execute();
  const members = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .innerJoin('users', 'users.id', 'group_members.user_id')
    .select(['groups.name', 'users.username'])
    .orderBy('groups.name')
    .orderBy('users.username')
    .execute();
  const grants = await db
    .selectFrom('project_access')
    .innerJoin('projects', 'projects.id', 'project_access.project_id')
    .leftJoin('groups', 'groups.id', 'project_access.subject_id')
    .leftJoin('users', 'users.id', 'project_access.subject_id')
    .select(['projects.name as project', 'groups.name as group', 'users.username', 'project_access.role'])
    .orderBy('projects.name')
    .orderBy('project_access.subject_type')
    .orderBy('groups.name')
    .orderBy('users.username')
    .execute();
  return {
    owners: owners.map((row) => `${row.name} ${row.username}`),
    members: members.map((row) => `${row.name} ${row.username}`),
    grants: grants.map((row) => `${row.project} ${row.group ?? row.username} ${row.role}`),
  };
}

async function seededApp(dialect: 'sqlite' | 'postgres', seed: number): Promise<TestApp> {
  const t = await createTestApp(dialect);
  await seedPeople(t.cliContext(), { count: 150 });
  await seedAccessGraph(t.cliContext(), { ...shape, seed });
  return t;
}

describeEachDatabase('roster admin seed: the access graph', (dialect) => {
  const t = useTestApp(dialect);

  it('adds what it reports, drawn from active people, with one audit event, and the server authorizes by it', async () => {
    const ctx = t().cliContext();
    await seedPeople(ctx, { count: 200 });
    const result = await seedAccessGraph(ctx, { ...shape, seed: 42 });
    const db = t().services.database.db;
    const count = async (table: 'projects' | 'groups' | 'group_members' | 'project_access') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    expect(result.projects).toEqual({ created: 40, skipped: 0 });
    expect(result.groups).toEqual({ created: 12, skipped: 0 });
    for (const part of ['memberships', 'grants'] as const) {
      expect(result[part].created + result[part].skipped).toBe(shape[part]);
      // Drawn twice is skipped, but most draws land: the skew makes repeats, not a handful of rows.
      expect(result[part].created).toBeGreaterThan(shape[part] / 2);
    }
    expect(await count('projects')).toBe(40);
    expect(await count('groups')).toBe(12);
    expect(await count('group_members')).toBe(result.memberships.created);
    expect(await count('project_access')).toBe(result.grants.created);

    // Owners are active people; grants go to groups and to people, in every project role.
    const ownerKinds = await db
      .selectFrom('projects')
      .innerJoin('users', 'users.id', 'projects.owner_id')
      .select(['users.type', 'users.status'])
      .distinct()
      .execute();
    expect(ownerKinds).toEqual([{ type: 'person', status: 'active' }]);
    const grantKinds = await db.selectFrom('project_access').select(['subject_type', 'role']).distinct().execute();
    expect(new Set(grantKinds.map((row) => row.subject_type))).toEqual(new Set(['group', 'user']));
    expect(new Set(grantKinds.map((row) => row.role))).toEqual(new Set(['admin', 'contributor', 'reader']));

    const events = await db.selectFrom('audit_events').select(['action', 'details', 'via']).where('action', '=', 'access.seeded').execute();
    expect(events).toHaveLength(1);
    const details: unknown = events[0]?.details;
    expect(typeof details === 'string' ? JSON.parse(details) : details).toMatchObject({
      seed: 42,
      projects: 40,
      groups: 12,
      memberships: result.memberships.created,
      grants: result.grants.created,
    });

    // A member of a group with a grant gets that project through the group, over HTTP.
    const path = await db
      .selectFrom('project_access')
      .innerJoin('group_members', 'group_members.group_id', 'project_access.subject_id')
      .select(['project_access.project_id', 'group_members.user_id'])
      .where('project_access.subject_type', '=', 'group')
      .limit(1)
      .executeTakeFirstOrThrow();
    const token = await buildApiToken(t(), { id: path.user_id });
    const answer = await t().app.inject({
      method: 'POST',
      url: '/api/v1/authorize',
      headers: { authorization: `Bearer ${token}` },
      payload: { permission: 'project.view', projectId: path.project_id },
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ allowed: true });
  });

  it('refuses what it cannot draw and changes nothing', async () => {
    const empty = await createTestApp(dialect);
    try {
      await expect(
        seedAccessGraph(empty.cliContext(), { projects: 0, groups: 0, memberships: 0, grants: 10, seed: 1 }),
      ).rejects.toMatchObject({
        code: 'validation_failed',
      });
      await expect(
        seedAccessGraph(empty.cliContext(), { projects: 5, groups: 2, memberships: 0, grants: 0, seed: -1 }),
      ).rejects.toMatchObject({
        code: 'validation_failed',
      });
      // Only the factory Owner is there and no project: the groups drawn first go back with the refusal.
      await expect(
        seedAccessGraph(empty.cliContext(), { projects: 0, groups: 3, memberships: 0, grants: 5, seed: 1 }),
      ).rejects.toMatchObject({
        code: 'validation_failed',
        message: expect.stringContaining('no projects'),
      });
      const db = empty.services.database.db;
      // The refused runs left no groups behind (one transaction).
      expect(await db.selectFrom('groups').select('id').execute()).toEqual([]);
      expect(await db.selectFrom('audit_events').select('id').where('action', '=', 'access.seeded').execute()).toEqual([]);
    } finally {
      await empty.close();
    }
  });

  it('draws the same graph from the same seed on another database, and a different one from another seed', async () => {
    const first = await seededApp(dialect, 7);
    const again = await seededApp(dialect, 7);
    const other = await seededApp(dialect, 8);
    try {
      const a = await graphByNames(first);
      expect(a.owners).toHaveLength(shape.projects);
      expect(await graphByNames(again)).toEqual(a);
      const b = await graphByNames(other);
      expect(b.members).not.toEqual(a.members);
      expect(b.grants).not.toEqual(a.grants);
    } finally {
      await Promise.all([first.close(), again.close(), other.close()]);
    }
  });
});
