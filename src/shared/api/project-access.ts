import { type Static, Type } from 'typebox';

import { choiceList, projectRoleIds } from '../permissions.js';
import { literalUnion } from './common.js';

const strict = { additionalProperties: false } as const;

export const ProjectRoleSchema = literalUnion(projectRoleIds, { description: `Project role: ${choiceList(projectRoleIds)}` });

/** A user or group as someone with organization.people.view sees it (groups have no email: null). */
export const AccessSubjectSchema = Type.Object(
  { id: Type.String(), name: Type.String(), email: Type.Union([Type.String(), Type.Null()]) },
  { ...strict, description: 'Seen with organization.people.view' },
);

/**
 * A user or group as everyone else sees it (docs/product/security-settings.md#privacy-between-users): id and name (a
 * user's username), never an email.
 */
export const AccessSubjectRefSchema = Type.Object(
  { id: Type.String(), name: Type.String() },
  { ...strict, description: 'Seen without organization.people.view: id and name only' },
);

export const AccessEntrySchema = Type.Object(
  {
    subjectType: Type.Union([Type.Literal('user'), Type.Literal('group')]),
    subject: Type.Union([AccessSubjectSchema, AccessSubjectRefSchema]),
    serviceAccount: Type.Boolean({ description: 'The subject is a service account (false for people and groups)' }),
    role: ProjectRoleSchema,
    /** Access that follows from something else (instance role, project ownership); it cannot be removed here. */
    implicit: Type.Boolean(),
    source: Type.String({
      description:
        'Why this subject has access: "granted", "granted to group", "project owner", or (only with organization.people.view, ' +
        'since it tells an instance role) "instance Owner" / "instance Admin"',
    }),
    removable: Type.Boolean(),
  },
  strict,
);
export type AccessEntry = Static<typeof AccessEntrySchema>;

export const AccessListSchema = Type.Object(
  {
    items: Type.Array(AccessEntrySchema),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
    abilities: Type.Object({ manage: Type.Boolean() }, strict),
  },
  strict,
);
export type AccessList = Static<typeof AccessListSchema>;

export const AccessListQuerySchema = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  strict,
);
export type AccessListQuery = Static<typeof AccessListQuerySchema>;

export const AccessParamsSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100 }),
    subjectType: Type.Union([Type.Literal('user'), Type.Literal('group')]),
    subjectId: Type.String({ minLength: 1, maxLength: 100 }),
  },
  strict,
);

export const SetAccessBodySchema = Type.Object({ role: ProjectRoleSchema }, strict);

/** The answer of `PUT` and `DELETE /projects/:id/access/:subjectType/:subjectId`: the role now given, and whether it changed. */
export const AccessChangeSchema = Type.Object({ role: Type.Union([ProjectRoleSchema, Type.Null()]), changed: Type.Boolean() }, strict);
export type AccessChange = Static<typeof AccessChangeSchema>;
