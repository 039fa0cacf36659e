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
    action: Type.Optional(
      Type.String({
        maxLength: 100,
        description:
          'Words that each match the start of the action or of one of its words (e.g. user, password, role changed); a dotted name (auth.login) matches exactly, a prefix ending in "*" (user.*) the whole area',
      }),
    ),
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
export type AuditList = Static<typeof AuditListSchema>;

export const AuditExportQuerySchema = Type.Object(
  {
    ...AuditQuerySchema.properties,
    format: Type.Optional(Type.Union([Type.Literal('jsonl'), Type.Literal('csv')], { default: 'jsonl' })),
  },
  { additionalProperties: false },
);

const nullableString = Type.Union([Type.String(), Type.Null()]);

/**
 * What `POST /audit/verify` and `roster audit verify` found (docs/product/audit-log.md#verification); `reason` says how
 * the chain breaks.
 */
export const AuditVerificationSchema = Type.Object(
  {
    valid: Type.Boolean(),
    checked: Type.Integer({ description: 'Events checked, up to and including the first broken one' }),
    brokenAt: Type.Union([
      Type.Object(
        {
          id: Type.Union([Type.String(), Type.Null()], { description: 'Null when the event is missing altogether' }),
          seq: Type.Integer(),
          at: nullableString,
          reason: Type.Union(
            [
              Type.Literal('sequence_gap'),
              Type.Literal('link_mismatch'),
              Type.Literal('hash_mismatch'),
              Type.Literal('head_mismatch'),
              Type.Literal('tail_missing'),
              Type.Literal('after_head'),
              Type.Literal('expected_head_mismatch'),
              Type.Literal('expected_head_missing'),
            ],
            {
              description:
                'sequence_gap: a number is skipped (deleted or moved event); link_mismatch: not linked to the event before; ' +
                'hash_mismatch: changed; head_mismatch: not the event the head record names; tail_missing: the log ends ' +
                'before the head record; after_head: events past the head record',
            },
          ),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    head: Type.Union([Type.Object({ seq: Type.Integer(), hash: Type.String() }, { additionalProperties: false }), Type.Null()], {
      description: 'The last event that verified: the chain head when valid (compare it with the one in the server log)',
    }),
  },
  { additionalProperties: false },
);
export type AuditVerification = Static<typeof AuditVerificationSchema>;
