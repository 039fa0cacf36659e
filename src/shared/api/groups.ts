import { type Static, Type } from 'typebox';

export const GroupRoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('member'), Type.Null()], {
  description: 'Instance role the group gives its members (never owner), or null for none',
});

export const GroupSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    role: GroupRoleSchema,
    memberCount: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type GroupView = Static<typeof GroupSchema>;

export const GroupMemberSchema = Type.Object(
  { id: Type.String(), username: Type.String(), email: Type.String(), role: Type.String(), addedAt: Type.String() },
  { additionalProperties: false },
);

export const GroupDetailSchema = Type.Object(
  {
    ...GroupSchema.properties,
    members: Type.Array(GroupMemberSchema),
    abilities: Type.Object({ manage: Type.Boolean() }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type GroupDetail = Static<typeof GroupDetailSchema>;

export const GroupListSchema = Type.Object(
  { items: Type.Array(GroupSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) },
  { additionalProperties: false },
);

const name = Type.String({ minLength: 1, maxLength: 64 });
const description = Type.String({ maxLength: 500 });

export const CreateGroupBodySchema = Type.Object(
  { name, description: Type.Optional(description), role: Type.Optional(GroupRoleSchema) },
  { additionalProperties: false },
);
export type CreateGroupBody = Static<typeof CreateGroupBodySchema>;

export const UpdateGroupBodySchema = Type.Object(
  { name: Type.Optional(name), description: Type.Optional(description), role: Type.Optional(GroupRoleSchema) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateGroupBody = Static<typeof UpdateGroupBodySchema>;

export const GroupListQuerySchema = Type.Object(
  {
    query: Type.Optional(Type.String({ maxLength: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);
