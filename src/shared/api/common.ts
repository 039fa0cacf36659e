import { type Static, type TLiteral, type TSchemaOptions, Type } from 'typebox';
import { choiceList, organizationRoleIds } from '../permissions.js';

/** Schemas shared by the server (validation, OpenAPI) and the console (types). */

/**
 * A union of string literals built from a list of the catalogue (`anyOf` of `const`s, as written by hand before), so
 * that role lists are declared once, in `src/shared/permissions.ts`. Typed as one literal of the list's element type:
 * the schema's static type is then exactly that union.
 */
export function literalUnion<T extends string>(values: readonly T[], options?: TSchemaOptions) {
  return Type.Union(values.map((value) => Type.Literal(value)) as unknown as [TLiteral<T>], options);
}

export const OrganizationRoleSchema = literalUnion(organizationRoleIds, {
  description: `Instance role: ${choiceList(organizationRoleIds)}`,
});

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

/** A person, or a service account (docs/product/service-accounts.md): wherever an account is listed, it says which. */
export const AccountTypeSchema = Type.Union([Type.Literal('person'), Type.Literal('service_account')], {
  description: 'A person, or a service account (docs/product/service-accounts.md); a service account has email ""',
});

export const UserSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    username: Type.String(),
    email: Type.String(),
    role: OrganizationRoleSchema,
    type: AccountTypeSchema,
    status: Type.Union([Type.Literal('active'), Type.Literal('deactivated'), Type.Literal('removed')], {
      description: 'deactivated: a service account whose token is refused until it is reactivated',
    }),
    mustChangePassword: Type.Boolean(),
    mfaEnabled: Type.Boolean({ description: 'Has two-factor authentication (an authenticator app, security key or passkey)' }),
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
