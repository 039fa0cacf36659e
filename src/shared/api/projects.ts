import { type Static, Type } from 'typebox';

/**
 * Schemas of `/api/v1/projects` (docs/product/console.md#projects, docs/product/api.md). Every object is strict:
 * nothing unlisted goes in or out.
 */

const strict = { additionalProperties: false } as const;

export const projectNameLength = { min: 1, max: 100 } as const;
export const projectDescriptionMaxLength = 2000;

export const ProjectParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100, description: 'Project id' }) }, strict);

export const ProjectAbilitiesSchema = Type.Object(
  {
    edit: Type.Boolean(),
    delete: Type.Boolean(),
    transferOwnership: Type.Boolean(),
    viewAccess: Type.Boolean(),
    manageAccess: Type.Boolean(),
  },
  { ...strict, description: 'What the caller may do with this project; decided by the server' },
);

export const ProjectSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    ownerId: Type.String(),
    owner: Type.Object({ id: Type.String(), username: Type.String() }, strict),
    createdAt: Type.String({ format: 'date-time' }),
    abilities: ProjectAbilitiesSchema,
  },
  strict,
);
export type Project = Static<typeof ProjectSchema>;

export const ListProjectsQuerySchema = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  strict,
);
export type ListProjectsQuery = Static<typeof ListProjectsQuerySchema>;

export const ListProjectsResponseSchema = Type.Object(
  { items: Type.Array(ProjectSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) },
  strict,
);

export const CreateProjectBodySchema = Type.Object(
  {
    name: Type.String({ minLength: projectNameLength.min, maxLength: projectNameLength.max }),
    description: Type.Optional(Type.String({ maxLength: projectDescriptionMaxLength })),
  },
  strict,
);
export type CreateProjectBody = Static<typeof CreateProjectBodySchema>;

export const UpdateProjectBodySchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: projectNameLength.min, maxLength: projectNameLength.max })),
    description: Type.Optional(Type.String({ maxLength: projectDescriptionMaxLength })),
  },
  strict,
);
export type UpdateProjectBody = Static<typeof UpdateProjectBodySchema>;

export const TransferProjectBodySchema = Type.Object({ userId: Type.String({ minLength: 1, maxLength: 100 }) }, strict);
