import { type Static, Type } from 'typebox';
import type { organizationRoleIds } from '../permissions.js';

/** Schemas shared by the server (validation, OpenAPI) and the console (types). */

export const OrganizationRoleSchema = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('member')], {
  description: 'Instance role: owner, admin or member',
});
// Keeps the literal list above honest: adding a role to the catalogue breaks this line until the schema follows.
const _roleSchemaCoversCatalogue: Static<typeof OrganizationRoleSchema> extends (typeof organizationRoleIds)[number] ? true : false = true;
void _roleSchemaCoversCatalogue;

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'Stable snake_case error code (see the error catalogue)' }),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details (application/problem+json)' },
);
export type Problem = Static<typeof ProblemSchema>;

export const UserSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    username: Type.String(),
    email: Type.String(),
    role: OrganizationRoleSchema,
    status: Type.Union([Type.Literal('active'), Type.Literal('removed')]),
    mustChangePassword: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    lastSeenAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { additionalProperties: false },
);

/** One page of a keyset-paged list (`GET /people`, `/projects`, `/groups`, `/audit`, …): `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Problem responses a route may answer with, keyed by status, for the OpenAPI document. */
export function problemResponses(...statuses: number[]): Record<number, typeof ProblemSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ProblemSchema]));
}
