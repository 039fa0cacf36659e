import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  type AccessSubject,
  authorize,
  can,
  decideEach,
  effectiveRole,
  effectiveRoleName,
  type ProjectAccessView,
  projectRolesOf,
} from '../../src/domain/access/authorize.js';
import { allPermissions, type OrganizationRole, type ProjectRole } from '../../src/shared/permissions.js';

/**
 * `can` and `effectiveRoleName` answer without building reasons (they run many times per request,
 * docs/product/speed-targets.md#targets). They must agree with `authorize`, which builds every path, for every subject,
 * project and permission. `decideEach` answers many permissions from one working-out of the roles (the permissions
 * list): it must answer each exactly as `authorize` does alone.
 */
const groupIds = ['g1', 'g2', 'g3'];
const userId = 'u1';

const subject: fc.Arbitrary<AccessSubject> = fc.record({
  userId: fc.constant(userId),
  username: fc.constant('ann'),
  type: fc.constantFrom('person' as const, 'service_account' as const),
  active: fc.boolean(),
  deactivated: fc.boolean(),
  restricted: fc.boolean(),
  directRole: fc.constantFrom<OrganizationRole>('owner', 'admin', 'member'),
  groups: fc
    .subarray(groupIds)
    .chain((ids) =>
      fc.tuple(
        ...ids.map((id) =>
          fc.record({ id: fc.constant(id), name: fc.constant(`group ${id}`), role: fc.constantFrom('admin', 'member', null) }),
        ),
      ),
    ),
});

const projectRole = fc.constantFrom<ProjectRole>('admin', 'contributor', 'reader');
const project: fc.Arbitrary<ProjectAccessView> = fc.record({
  id: fc.constant('p1'),
  name: fc.constant('api'),
  ownerId: fc.constantFrom(userId, 'someone-else'),
  grants: fc.array(
    fc.oneof(
      fc.record({
        subjectType: fc.constant('user' as const),
        subjectId: fc.constantFrom(userId, 'u2'),
        subjectName: fc.constant('x'),
        role: projectRole,
      }),
      fc.record({
        subjectType: fc.constant('group' as const),
        subjectId: fc.constantFrom(...groupIds, 'g9'),
        subjectName: fc.constant('x'),
        role: projectRole,
      }),
    ),
    { maxLength: 4 },
  ),
});

it('can() agrees with authorize() for every permission, with and without a project', () => {
  fc.assert(
    fc.property(subject, project, fc.constantFrom(...allPermissions), fc.boolean(), (who, where, permission, withProject) => {
      const target = withProject ? where : undefined;
      expect(can(who, permission, target)).toBe(authorize(who, permission, target).allowed);
    }),
    { numRuns: 3000 },
  );
});

it('the fast role helpers agree with the described ones', () => {
  fc.assert(
    fc.property(subject, project, (who, where) => {
      expect(effectiveRoleName(who)).toBe(effectiveRole(who).role);
      expect(new Set(projectRolesOf(who, where, false).map((held) => held.role))).toEqual(
        new Set(projectRolesOf(who, where).map((held) => held.role)),
      );
    }),
    { numRuns: 1000 },
  );
});

it('decideEach() answers every permission at once as authorize() and can() answer each alone', () => {
  fc.assert(
    fc.property(subject, project, fc.boolean(), fc.shuffledSubarray([...allPermissions]), (who, where, withProject, asked) => {
      const target = withProject ? where : undefined;
      const together = decideEach(who, asked, target);
      expect(together).toEqual(asked.map((permission) => authorize(who, permission, target)));
      expect(together.map((decision) => decision.allowed)).toEqual(asked.map((permission) => can(who, permission, target)));
    }),
    { numRuns: 1000 },
  );
});
