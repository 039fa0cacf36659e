import { type Static, Type } from 'typebox';
import { allPermissions } from '../permissions.js';
import { literalUnion } from './common.js';

/** One permission of the catalogue; its static type is the `Permission` union (it was `never` before the API contract check). */
export const PermissionNameSchema = literalUnion(allPermissions, {
  description: 'A permission of the catalogue (docs/product/roles-and-permissions.md#permissions)',
});

export const ScopeSchema = Type.Union([Type.Literal('organization'), Type.Literal('project')]);

export const RoleSchema = Type.Object(
  {
    id: Type.String({ description: 'Unique across scopes: owner, admin, member, project-admin, project-contributor, project-reader' }),
    key: Type.String({ description: 'The value used in role fields: owner/admin/member, or admin/contributor/reader for projects' }),
    name: Type.String(),
    scope: ScopeSchema,
    description: Type.String(),
    predefined: Type.Boolean(),
    permissions: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
export type RoleView = Static<typeof RoleSchema>;

export const RoleListSchema = Type.Object({ items: Type.Array(RoleSchema) }, { additionalProperties: false });

export const PermissionSchema = Type.Object(
  { name: Type.String(), scope: ScopeSchema, description: Type.String() },
  { additionalProperties: false },
);
export type PermissionView = Static<typeof PermissionSchema>;
export const PermissionListSchema = Type.Object({ items: Type.Array(PermissionSchema) }, { additionalProperties: false });
export type PermissionList = Static<typeof PermissionListSchema>;

export const RolesQuerySchema = Type.Object({ scope: Type.Optional(ScopeSchema) }, { additionalProperties: false });
