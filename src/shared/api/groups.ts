import { type Static, type TLiteral, type TNull, Type } from 'typebox';
import { type GroupRole, groupRoleIds } from '../permissions.js';
import { AccountTypeSchema, OrganizationRoleSchema } from './common.js';

export const GroupRoleSchema = Type.Union(
  [...groupRoleIds.map((role) => Type.Literal(role)), Type.Null()] as unknown as [TLiteral<GroupRole>, TNull],
  {
    description: 'Instance role the group gives its members (never owner), or null for none',
  },
);

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

/** A member as someone with organization.people.view sees them: how to reach them and their own instance role. */
export const GroupMemberSchema = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    email: Type.String(),
    type: AccountTypeSchema,
    role: OrganizationRoleSchema,
    addedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false, description: 'Seen with organization.people.view' },
);

/**
 * A member as everyone else sees them (docs/product/security-settings.md#privacy-between-users): who, never their
 * email, role, status or last-seen time.
 */
export const GroupMemberRefSchema = Type.Object(
  { id: Type.String(), username: Type.String(), type: AccountTypeSchema },
  { additionalProperties: false, description: 'Seen without organization.people.view: id, username and kind of account only' },
);
export type GroupMemberEntry = Static<typeof GroupMemberSchema> | Static<typeof GroupMemberRefSchema>;

export const GroupMemberListSchema = Type.Object(
  {
    items: Type.Array(Type.Union([GroupMemberSchema, GroupMemberRefSchema])),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type GroupMemberList = Static<typeof GroupMemberListSchema>;

export const GroupMemberListQuerySchema = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);
export type GroupMemberListQuery = Static<typeof GroupMemberListQuerySchema>;

/** One group and what the caller may do with it; its members are a paged sub-resource (`GET /groups/:id/members`). */
export const GroupDetailSchema = Type.Object(
  {
    ...GroupSchema.properties,
    abilities: Type.Object({ manage: Type.Boolean() }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type GroupDetail = Static<typeof GroupDetailSchema>;

export const GroupListSchema = Type.Object(
  { items: Type.Array(GroupSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) },
  { additionalProperties: false },
);

/** The answer of `PUT` and `DELETE /groups/:id/members/:userId`: false when the person already was (or was not) a member. */
export const MembershipChangeSchema = Type.Object({ changed: Type.Boolean() }, { additionalProperties: false });

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
