import type { Executor } from '../database.js';
import type { AuditEventRow, AuditOutcome, NewAuditEvent } from '../schema.js';
import { whereActionMatches } from './audit-action-filter.js';

/**
 * Reads and the one write of the `audit_events` table (append-only: triggers refuse anything else). The head record
 * and the triggers are in `audit-chain.ts`.
 */

export async function insertAuditEvent(trx: Executor, event: NewAuditEvent): Promise<void> {
  await trx.insertInto('audit_events').values(event).execute();
}

/** What the audit list and export filter on; every field narrows an indexed column. */
export interface AuditEventFilter {
  /** An actor's id or name. */
  actor?: string | undefined;
  /** A target's id or name. */
  target?: string | undefined;
  /** The Action filter: words, dotted names or `area.*` (audit-action-filter.ts). */
  action?: string | undefined;
  outcome?: AuditOutcome | undefined;
  /** ISO timestamps: `since` ≤ at < `until`. */
  since?: string | undefined;
  until?: string | undefined;
}

/** Events matching the filter with `seq` below `beforeSeq` (null: from the newest), newest first. */
export function auditEventsBefore(
  db: Executor,
  filter: AuditEventFilter,
  beforeSeq: number | null,
  limit: number,
): Promise<AuditEventRow[]> {
  let select = db.selectFrom('audit_events').selectAll();
  const { actor, target, action } = filter;
  if (actor) select = select.where((eb) => eb.or([eb('actor_id', '=', actor), eb('actor_name', '=', actor)]));
  if (target) select = select.where((eb) => eb.or([eb('target_id', '=', target), eb('target_name', '=', target)]));
  select = whereActionMatches(select, action);
  if (filter.outcome) select = select.where('outcome', '=', filter.outcome);
  if (filter.since) select = select.where('at', '>=', filter.since);
  if (filter.until) select = select.where('at', '<', filter.until);
  if (beforeSeq !== null) select = select.where('seq', '<', beforeSeq);
  return select.orderBy('seq', 'desc').limit(limit).execute();
}

/** Events with `seq` above `afterSeq`, oldest first (the chain walk). */
export function auditEventsAfter(db: Executor, afterSeq: number, limit: number): Promise<AuditEventRow[]> {
  return db.selectFrom('audit_events').selectAll().where('seq', '>', afterSeq).orderBy('seq', 'asc').limit(limit).execute();
}

/** The first event with `seq` above `afterSeq`, or undefined. */
export function firstAuditEventAfter(db: Executor, afterSeq: number) {
  return db
    .selectFrom('audit_events')
    .select(['id', 'seq', 'at'])
    .where('seq', '>', afterSeq)
    .orderBy('seq', 'asc')
    .limit(1)
    .executeTakeFirst();
}
