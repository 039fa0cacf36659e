import { type Static, Type } from 'typebox';

export const AuditEventSchema = Type.Object(
  {
    id: Type.String(),
    seq: Type.Integer(),
    at: Type.String({ format: 'date-time' }),
    actor: Type.Object(
      { type: Type.String(), id: Type.Union([Type.String(), Type.Null()]), name: Type.Union([Type.String(), Type.Null()]) },
      { additionalProperties: false },
    ),
    via: Type.String(),
    action: Type.String(),
    target: Type.Union([
      Type.Object(
        { type: Type.String(), id: Type.Union([Type.String(), Type.Null()]), name: Type.Union([Type.String(), Type.Null()]) },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    outcome: Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')]),
    ip: Type.Union([Type.String(), Type.Null()]),
    userAgent: Type.Union([Type.String(), Type.Null()]),
    requestId: Type.Union([Type.String(), Type.Null()]),
    details: Type.Record(Type.String(), Type.Unknown()),
    hash: Type.String(),
  },
  { additionalProperties: false },
);
export type AuditEventView = Static<typeof AuditEventSchema>;

export const AuditQuerySchema = Type.Object(
  {
    actor: Type.Optional(Type.String({ maxLength: 100, description: 'Actor user id or name (username at the time, or cli/system)' })),
    action: Type.Optional(Type.String({ maxLength: 100, description: 'Exact action, or a prefix ending in "*" (e.g. user.*)' })),
    target: Type.Optional(Type.String({ maxLength: 200, description: 'Target id or name' })),
    outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')])),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
    cursor: Type.Optional(Type.String({ maxLength: 40 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuerySchema>;

export const AuditListSchema = Type.Object(
  { items: Type.Array(AuditEventSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) },
  { additionalProperties: false },
);

export const AuditExportQuerySchema = Type.Object(
  {
    ...AuditQuerySchema.properties,
    format: Type.Optional(Type.Union([Type.Literal('jsonl'), Type.Literal('csv')], { default: 'jsonl' })),
  },
  { additionalProperties: false },
);

export const AuditVerificationSchema = Type.Object(
  {
    valid: Type.Boolean(),
    checked: Type.Integer(),
    brokenAt: Type.Union([
      Type.Object({ id: Type.String(), seq: Type.Integer(), at: Type.String(), reason: Type.String() }, { additionalProperties: false }),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);
