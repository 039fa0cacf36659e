import { type Static, Type } from 'typebox';
import { OrganizationRoleSchema } from './common.js';
import { PermissionNameSchema } from './roles.js';

export const AuthorizeBodySchema = Type.Object(
  {
    permission: PermissionNameSchema,
    projectId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    userId: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'Ask about another user (needs organization.people.view; required with a client-credentials token)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const AuthorizeResponseSchema = Type.Object({ allowed: Type.Boolean(), reason: Type.String() }, { additionalProperties: false });

export const ExplainQuerySchema = Type.Object(
  {
    permission: PermissionNameSchema,
    userId: Type.Optional(Type.String({ format: 'uuid' })),
    projectId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const ExplanationSchema = Type.Object(
  {
    allowed: Type.Boolean(),
    permission: Type.String(),
    reason: Type.String(),
    paths: Type.Array(Type.String(), { description: 'Every path that grants the permission' }),
    subject: Type.Object(
      {
        id: Type.String(),
        username: Type.String(),
        type: Type.Union([Type.Literal('person'), Type.Literal('service_account')]),
        effectiveRole: OrganizationRoleSchema,
        effectiveRoleVia: Type.Array(Type.String()),
      },
      { additionalProperties: false },
    ),
    project: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }, { additionalProperties: false }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type Explanation = Static<typeof ExplanationSchema>;

export const PersonPermissionsQuerySchema = Type.Object(
  { project: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Also decide the project permissions here' })) },
  { additionalProperties: false },
);

export const PersonPermissionsSchema = Type.Object(
  {
    subject: ExplanationSchema.properties.subject,
    project: ExplanationSchema.properties.project,
    items: Type.Array(
      Type.Object(
        {
          permission: Type.String(),
          allowed: Type.Boolean(),
          reason: Type.String(),
          paths: Type.Array(Type.String(), { description: 'Every path that grants the permission' }),
        },
        { additionalProperties: false },
      ),
      { description: 'Every instance permission, and every project permission when a project is named, in catalogue order' },
    ),
  },
  { additionalProperties: false },
);
export type PersonPermissions = Static<typeof PersonPermissionsSchema>;
