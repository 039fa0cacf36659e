import { type Static, Type } from 'typebox';
import { ProjectRoleSchema } from './project-access.js';

const strict = { additionalProperties: false } as const;

/** One project a group has a role on, as `GET /groups/:id/projects` lists it. */
export const GroupProjectSchema = Type.Object(
  { id: Type.String(), name: Type.String(), role: ProjectRoleSchema },
  { ...strict, description: 'A project the group has a role on, and that role' },
);

export const GroupProjectListSchema = Type.Object(
  {
    items: Type.Array(GroupProjectSchema),
    truncated: Type.Boolean({ description: 'True when more projects were left off (at most the limit are read)' }),
  },
  strict,
);
export type GroupProjectList = Static<typeof GroupProjectListSchema>;

export const GroupProjectListQuerySchema = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })) },
  strict,
);
export type GroupProjectListQuery = Static<typeof GroupProjectListQuerySchema>;
