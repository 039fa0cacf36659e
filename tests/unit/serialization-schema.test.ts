import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { expect, it } from 'vitest';
import { serializationSchema } from '../../src/server/plugins/serialization.js';
import { AuditEventSchema } from '../../src/shared/api/audit.js';
import { MeResponseSchema } from '../../src/shared/api/me.js';
import { ListPeopleResponseSchema } from '../../src/shared/api/people.js';

/**
 * The serializer's form of a schema must write exactly the JSON the declared schema writes
 * (docs/product/speed-targets.md#targets fast path).
 */
const compile = SerializerSelector()({}, {});
const serializerFor = (schema: unknown) => compile({ schema: schema as object, method: 'GET', url: '/', httpStatus: '200' });

const user = {
  id: '6f1c2a3e-2f7d-4b8a-9c1e-0a1b2c3d4e5f',
  username: 'ann',
  email: 'ann@example.com',
  role: 'admin',
  type: 'person',
  status: 'active',
  mustChangePassword: false,
  mfaEnabled: false,
  createdAt: '2026-11-26T10:00:00.000Z',
  lastSeenAt: null,
};

it('writes literal unions as strings and "X or null" as a type list, without anyOf', () => {
  const form = JSON.stringify(serializationSchema(MeResponseSchema));
  expect(form).not.toContain('anyOf');
  expect(
    serializationSchema({
      anyOf: [
        { const: 'a', type: 'string' },
        { const: 'b', type: 'string' },
      ],
    }),
  ).toEqual({ type: 'string' });
  expect(serializationSchema({ anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }], description: 'd' })).toEqual({
    type: ['string', 'null'],
    format: 'date-time',
    description: 'd',
  });
  // A union of two object shapes stays a union: only the serializer can pick the branch.
  const mixed = { anyOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'integer' }] };
  expect(serializationSchema(mixed)).toEqual(mixed);
});

it('serializes /me, a People page and audit events exactly as the declared schemas do', () => {
  const samples: Array<[unknown, unknown]> = [
    [
      MeResponseSchema,
      {
        user,
        effectiveRole: 'admin',
        permissions: ['organization.view'],
        abilities: {
          viewPeople: true,
          managePeople: true,
          viewProjects: true,
          createProjects: true,
          viewGroups: true,
          manageGroups: false,
          viewAuditLog: false,
          viewRoles: true,
          viewServiceAccounts: true,
          manageServiceAccounts: true,
          createAdminServiceAccounts: false,
          createNeverExpiringServiceAccountTokens: false,
          manageSecuritySettings: false,
          viewApplications: false,
          manageApplications: false,
          trustApplications: false,
          manageIdentityProviders: false,
        },
        token: { prefix: 'rst_AbCd', createdAt: '2026-11-26T10:00:00.000Z', lastUsedAt: null },
        csrfToken: null,
        passwordMinLength: 15,
        hasPassword: true,
        reauthenticatedUntil: null,
        unlisted: 'dropped by both',
      },
    ],
    [
      MeResponseSchema,
      {
        user: { ...user, lastSeenAt: '2026-11-26T11:00:00.000Z', role: 'owner' },
        effectiveRole: 'owner',
        permissions: [],
        abilities: {
          viewPeople: false,
          managePeople: false,
          viewProjects: false,
          createProjects: false,
          viewGroups: false,
          manageGroups: false,
          viewAuditLog: false,
          viewRoles: false,
          viewServiceAccounts: false,
          manageServiceAccounts: false,
          createAdminServiceAccounts: false,
          createNeverExpiringServiceAccountTokens: false,
          manageSecuritySettings: false,
          viewApplications: false,
          manageApplications: false,
          trustApplications: false,
          manageIdentityProviders: false,
        },
        token: null,
        csrfToken: 'abc',
        passwordMinLength: 20,
        hasPassword: false,
        reauthenticatedUntil: '2026-11-26T11:05:00.000Z',
      },
    ],
    [
      ListPeopleResponseSchema,
      {
        items: [
          {
            ...user,
            effectiveRole: 'admin',
            groups: [{ id: 'g', name: 'ops' }],
            abilities: { edit: true, remove: false, secret: 'x' },
          },
        ],
        nextCursor: null,
      },
    ],
  ];
  const event = {
    id: 'e1',
    seq: 7,
    at: '2026-11-26T10:00:00.000Z',
    actor: { type: 'user', id: 'u1', name: 'ann' },
    via: 'api',
    action: 'user.role_changed',
    target: { type: 'user', id: 'u2', name: null },
    outcome: 'success',
    ip: '127.0.0.1',
    userAgent: null,
    requestId: 'r1',
    details: { before: 'member', after: 'admin', nested: { list: [1, 'two', null] } },
    hash: 'abc',
  };
  samples.push([AuditEventSchema, event], [AuditEventSchema, { ...event, target: null, actor: { type: 'cli', id: null, name: null } }]);
  for (const [schema, value] of samples) {
    expect(serializerFor(serializationSchema(schema))(value)).toBe(serializerFor(schema)(value));
  }
});
