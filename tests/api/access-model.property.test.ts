import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  type OrganizationRole,
  organizationRoleRank,
  organizationRoles,
  type Permission,
  type ProjectRole,
  projectRoles,
} from '../../src/shared/permissions.js';
import { describeEachDatabase } from '../support/databases.js';
import { buildMember } from '../support/factories.js';
import { loginAs, type SessionClient } from '../support/session.js';
import { useTestApp } from '../support/test-app.js';

/**
 * A small reference model of how a decision is made (docs/product/roles-and-permissions.md#how-a-decision-is-made),
 * written independently of src/domain/access: random sequences of grants, group changes, role changes and removals are
 * applied both to the model and, through the REST API, to a real server; after every step the API's decision for every
 * (user, permission, project) must equal the model's.
 */
const USERS = 3;
const GROUPS = 2;
const PROJECTS = 2;
const checkedPermissions: Permission[] = [
  'organization.people.view',
  'organization.groups.manage',
  'project.view',
  'project.job.rerun',
  'project.access.manage',
  'project.secrets.view',
];

type Action =
  | { kind: 'grantUser'; user: number; project: number; role: ProjectRole | null }
  | { kind: 'grantGroup'; group: number; project: number; role: ProjectRole | null }
  | { kind: 'join'; group: number; user: number; member: boolean }
  | { kind: 'groupRole'; group: number; role: 'admin' | 'member' | null }
  | { kind: 'userRole'; user: number; role: 'admin' | 'member' }
  | { kind: 'remove'; user: number };

const projectRole = fc.constantFrom<ProjectRole | null>('admin', 'contributor', 'reader', null);
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('grantUser' as const),
      user: fc.nat(USERS - 1),
      project: fc.nat(PROJECTS - 1),
      role: projectRole,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('grantGroup' as const),
      group: fc.nat(GROUPS - 1),
      project: fc.nat(PROJECTS - 1),
      role: projectRole,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('join' as const), group: fc.nat(GROUPS - 1), user: fc.nat(USERS - 1), member: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('groupRole' as const),
      group: fc.nat(GROUPS - 1),
      role: fc.constantFrom<'admin' | 'member' | null>('admin', 'member', null),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('userRole' as const),
      user: fc.nat(USERS - 1),
      role: fc.constantFrom<'admin' | 'member'>('admin', 'member'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), user: fc.nat(USERS - 1) }) },
);

class Model {
  userRole: OrganizationRole[] = Array(USERS).fill('member');
  removed: boolean[] = Array(USERS).fill(false);
  groupRole: Array<'admin' | 'member' | null> = Array(GROUPS).fill(null);
  members: Array<Set<number>> = Array.from({ length: GROUPS }, () => new Set());
  userGrants = new Map<string, ProjectRole>();
  groupGrants = new Map<string, ProjectRole>();

  apply(a: Action): void {
    switch (a.kind) {
      case 'grantUser':
        if (this.removed[a.user]) return;
        if (a.role) this.userGrants.set(`${a.project}/${a.user}`, a.role);
        else this.userGrants.delete(`${a.project}/${a.user}`);
        return;
      case 'grantGroup':
        if (a.role) this.groupGrants.set(`${a.project}/${a.group}`, a.role);
        else this.groupGrants.delete(`${a.project}/${a.group}`);
        return;
      case 'join':
        if (this.removed[a.user]) return;
        if (a.member) this.members[a.group]?.add(a.user);
        else this.members[a.group]?.delete(a.user);
        return;
      case 'groupRole':
        this.groupRole[a.group] = a.role;
        return;
      case 'userRole':
        if (!this.removed[a.user]) this.userRole[a.user] = a.role;
        return;
      case 'remove':
        this.removed[a.user] = true;
        for (const members of this.members) members.delete(a.user);
        for (const key of [...this.userGrants.keys()]) if (key.endsWith(`/${a.user}`)) this.userGrants.delete(key);
    }
  }

  effective(user: number): OrganizationRole {
    const roles: OrganizationRole[] = [this.userRole[user] ?? 'member'];
    this.members.forEach((members, group) => {
      const role = this.groupRole[group];
      if (members.has(user) && role) roles.push(role);
    });
    return roles.sort((a, b) => organizationRoleRank(b) - organizationRoleRank(a))[0] ?? 'member';
  }

  allowed(user: number, permission: Permission, project: number): boolean {
    if (this.removed[user]) return false;
    const role = this.effective(user);
    if (permission.startsWith('organization.')) return (organizationRoles[role].permissions as readonly Permission[]).includes(permission);
    const held: ProjectRole[] = [];
    if (role === 'owner' || role === 'admin') held.push('admin');
    const direct = this.userGrants.get(`${project}/${user}`);
    if (direct) held.push(direct);
    this.members.forEach((members, group) => {
      const grant = this.groupGrants.get(`${project}/${group}`);
      if (members.has(user) && grant) held.push(grant);
    });
    return held.some((r) => (projectRoles[r].permissions as readonly Permission[]).includes(permission));
  }
}

// docs/product/roles-and-permissions.md#how-a-decision-is-made
describeEachDatabase('access decisions against a reference model of the decision', (dialect) => {
  const t = useTestApp(dialect);

  it('agree after every step of random grant, group, role and removal sequences', async () => {
    const owner: SessionClient = await loginAs(t().app, t().owner.user.username, t().owner.password);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 10 }), async (actions) => {
        run++;
        const users = await Promise.all(Array.from({ length: USERS }, () => buildMember(t())));
        const groups: string[] = [];
        for (let g = 0; g < GROUPS; g++) groups.push((await owner.post('/api/v1/groups', { name: `model-${run}-${g}` })).json().id);
        const projects: string[] = [];
        for (let p = 0; p < PROJECTS; p++) projects.push((await owner.post('/api/v1/projects', { name: `model-${run}-${p}` })).json().id);
        const model = new Model();
        const userId = (u: number) => users[u]?.user.id ?? '';

        for (const a of actions) {
          model.apply(a);
          const response = await applyThroughApi(owner, a, { userId, group: (g) => groups[g] ?? '', project: (p) => projects[p] ?? '' });
          expect([200, 204, 404, 409], `${JSON.stringify(a)} → ${response.statusCode} ${response.body}`).toContain(response.statusCode);
          for (let u = 0; u < USERS; u++) {
            for (const permission of checkedPermissions) {
              for (let p = 0; p < (permission.startsWith('project.') ? PROJECTS : 1); p++) {
                const body = { permission, userId: userId(u), ...(permission.startsWith('project.') ? { projectId: projects[p] } : {}) };
                const answer = await owner.post('/api/v1/authorize', body);
                const expected = model.allowed(u, permission, p);
                if (model.removed[u]) {
                  // A removed account is still found by id and has no permissions at all.
                  expect(answer.json().allowed, `removed user ${u} ${permission}`).toBe(false);
                } else {
                  expect(
                    answer.json().allowed,
                    `after ${JSON.stringify(actions.slice(0, actions.indexOf(a) + 1))}: user ${u} ${permission} on ${p}`,
                  ).toBe(expected);
                }
              }
            }
          }
        }
      }),
      { numRuns: 12 },
    );
  }, 240_000);
});

async function applyThroughApi(
  owner: SessionClient,
  a: Action,
  ids: { userId(u: number): string; group(g: number): string; project(p: number): string },
) {
  switch (a.kind) {
    case 'grantUser':
      return a.role
        ? owner.put(`/api/v1/projects/${ids.project(a.project)}/access/user/${ids.userId(a.user)}`, { role: a.role })
        : owner.delete(`/api/v1/projects/${ids.project(a.project)}/access/user/${ids.userId(a.user)}`);
    case 'grantGroup':
      return a.role
        ? owner.put(`/api/v1/projects/${ids.project(a.project)}/access/group/${ids.group(a.group)}`, { role: a.role })
        : owner.delete(`/api/v1/projects/${ids.project(a.project)}/access/group/${ids.group(a.group)}`);
    case 'join':
      return a.member
        ? owner.put(`/api/v1/groups/${ids.group(a.group)}/members/${ids.userId(a.user)}`)
        : owner.delete(`/api/v1/groups/${ids.group(a.group)}/members/${ids.userId(a.user)}`);
    case 'groupRole':
      return owner.patch(`/api/v1/groups/${ids.group(a.group)}`, { role: a.role });
    case 'userRole':
      return owner.put(`/api/v1/people/${ids.userId(a.user)}/role`, { role: a.role });
    case 'remove':
      return owner.delete(`/api/v1/people/${ids.userId(a.user)}`);
  }
}
