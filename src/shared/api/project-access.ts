import { type Static, Type } from 'typebox';

const strict = { additionalProperties: false } as const;

export const ProjectRoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('contributor'), Type.Literal('reader')], {
  description: 'Project role: admin, contributor or reader',
});

export const AccessEntrySchema = Type.Object(
  {
    subjectType: Type.Union([Type.Literal('user'), Type.Literal('group')]),
    subject: Type.Object({ id: Type.String(), name: Type.String(), email: Type.Union([Type.String(), Type.Null()]) }, strict),
    role: ProjectRoleSchema,
    /** Access that follows from something else (instance role, project ownership); it cannot be removed here. */
    implicit: Type.Boolean(),
    source: Type.String({ description: 'Why this subject has access, e.g. "granted", "project owner", "instance Admin"' }),
    removable: Type.Boolean(),
  },
  strict,
);
export type AccessEntry = Static<typeof AccessEntrySchema>;

export const AccessListSchema = Type.Object(
  {
    items: Type.Array(AccessEntrySchema),
    abilities: Type.Object({ manage: Type.Boolean() }, strict),
  },
  strict,
);

export const AccessParamsSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100 }),
    subjectType: Type.Union([Type.Literal('user'), Type.Literal('group')]),
    subjectId: Type.String({ minLength: 1, maxLength: 100 }),
  },
  strict,
);

export const SetAccessBodySchema = Type.Object({ role: ProjectRoleSchema }, strict);
export type SetAccessBody = Static<typeof SetAccessBodySchema>;
