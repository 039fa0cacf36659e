import { type Static, Type } from 'typebox';
import { OrganizationRoleSchema, UserSchema } from './common.js';

export const AbilitiesSchema = Type.Object(
  {
    viewPeople: Type.Boolean(),
    managePeople: Type.Boolean(),
    viewProjects: Type.Boolean(),
    createProjects: Type.Boolean(),
    viewGroups: Type.Boolean(),
    manageGroups: Type.Boolean(),
    viewAuditLog: Type.Boolean(),
    viewRoles: Type.Boolean(),
  },
  { additionalProperties: false, description: 'What the console may offer; decided by the server' },
);
export type Abilities = Static<typeof AbilitiesSchema>;

export const TokenMetadataSchema = Type.Object(
  {
    prefix: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { additionalProperties: false },
);

export const MeResponseSchema = Type.Object(
  {
    user: UserSchema,
    effectiveRole: OrganizationRoleSchema,
    permissions: Type.Array(Type.String()),
    abilities: AbilitiesSchema,
    token: Type.Union([TokenMetadataSchema, Type.Null()]),
    csrfToken: Type.Union([Type.String(), Type.Null()], { description: 'Null when authenticated with an API token' }),
  },
  { additionalProperties: false },
);
export type MeResponse = Static<typeof MeResponseSchema>;
