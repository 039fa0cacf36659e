import { createHash, randomUUID } from 'node:crypto';
import type { Executor } from '../../storage/database.js';
import { advanceChainHead, readChainHead } from '../../storage/queries/audit-chain.js';
import { insertAuditEvent } from '../../storage/queries/audit-events.js';
import type { AuditOutcome, NewAuditEvent } from '../../storage/schema.js';
import { auditActorOf, type OperationContext } from '../context.js';

export interface AuditTarget {
  type:
    | 'user'
    | 'service_account'
    | 'project'
    | 'group'
    | 'session'
    | 'token'
    | 'instance'
    | 'audit_log'
    | 'application'
    | 'identity_provider';
  id: string | null;
  name: string | null;
}

export interface AuditEventInput {
  action: string;
  target?: AuditTarget;
  outcome?: AuditOutcome;
  /** Before/after values and reasons. Never a password, hash or token: callers pass only safe fields. */
  details?: Record<string, unknown>;
}

export const genesisHash = '0'.repeat(64);

type HashedFields = Omit<NewAuditEvent, 'hash' | 'prev_hash' | 'seq'>;

/**
 * The fields covered by the hash, in a fixed order. From the sequence epoch on (migration 0005) the array starts with
 * the event's `seq`, so renumbering an event breaks its hash; `seq` null gives the form of the events written before.
 */
export function canonicalAuditJson(event: HashedFields, seq: number | null): string {
  const fields = [
    event.id,
    event.at,
    event.actor_type,
    event.actor_id ?? null,
    event.actor_name ?? null,
    event.via,
    event.action,
    event.target_type ?? null,
    event.target_id ?? null,
    event.target_name ?? null,
    event.outcome,
    event.ip ?? null,
    event.user_agent ?? null,
    event.request_id ?? null,
    event.details,
  ];
  return JSON.stringify(seq === null ? fields : [seq, ...fields]);
}

export function chainHash(previousHash: string, canonicalJson: string): string {
  return createHash('sha256').update(previousHash).update(canonicalJson).digest('hex');
}

/**
 * Appends one event to the hash-chained audit log. Call it inside the transaction that makes the change, as its last
 * statement: the chain lock is then held only until that transaction commits.
 *
 * The event continues the head record, not whatever event is last in the table: its `seq` is the head's + 1 and
 * covered by its hash, and the head moves in the same transaction (a rollback returns the number, so there are no
 * gaps). An identity column could not do this: rollbacks and retries skip its values
 * (docs/product/audit-log.md#hash-chain).
 */
export async function recordAuditEvent(ctx: OperationContext, trx: Executor, input: AuditEventInput): Promise<void> {
  const { request } = ctx;
  const actor = auditActorOf(ctx.caller);
  const event = {
    id: randomUUID(),
    at: ctx.now().toISOString(),
    actor_type: actor.type,
    actor_id: actor.id,
    actor_name: actor.name,
    via: request.via,
    action: input.action,
    target_type: input.target?.type ?? null,
    target_id: input.target?.id ?? null,
    target_name: input.target?.name ?? null,
    outcome: input.outcome ?? 'success',
    ip: request.ip,
    user_agent: request.userAgent,
    request_id: request.requestId,
    details: JSON.stringify(input.details ?? {}),
  } satisfies HashedFields;
  await ctx.database.lock(trx, 'audit_chain');
  const head = await readChainHead(trx);
  const seq = head.seq + 1;
  const hash = chainHash(head.hash, canonicalAuditJson(event, seq));
  await insertAuditEvent(trx, { ...event, seq, prev_hash: head.hash, hash });
  await advanceChainHead(trx, seq, hash);
}

/** Records a refused or failed attempt in its own transaction (there is no change to attach it to). */
export async function recordAuditFailure(ctx: OperationContext, input: AuditEventInput): Promise<void> {
  await ctx.database.transact((trx) => recordAuditEvent(ctx, trx, { outcome: 'failure', ...input }));
}
