import { Readable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { AuditEventView, AuditQuery } from '../../shared/api/audit.js';
import { type CsvCell, csvChunks } from '../../shared/csv.js';
import { type AuditEventFilter, auditEventsBefore } from '../../storage/queries/audit-events.js';
import type { AuditEventRow } from '../../storage/schema.js';
import { type AccessSubject, can } from '../access/authorize.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';

export function assertCanViewAuditLog(actor: AccessSubject): void {
  if (!can(actor, 'organization.audit_logs.view'))
    throw new DomainError('forbidden', 'Reading the audit log needs organization.audit_logs.view.');
}

export function presentAuditEvent(row: AuditEventRow): AuditEventView {
  return {
    id: row.id,
    seq: Number(row.seq),
    at: row.at,
    actor: { type: row.actor_type, id: row.actor_id, name: row.actor_name },
    via: row.via,
    action: row.action,
    target: row.target_type ? { type: row.target_type, id: row.target_id, name: row.target_name } : null,
    outcome: row.outcome,
    ip: row.ip,
    userAgent: row.user_agent,
    requestId: row.request_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
    hash: row.hash,
  };
}

/** The API's query as the storage filter: timestamps in the stored form. */
function filterOf(query: AuditQuery): AuditEventFilter {
  return {
    actor: query.actor,
    target: query.target,
    action: query.action,
    outcome: query.outcome,
    since: query.since ? new Date(query.since).toISOString() : undefined,
    until: query.until ? new Date(query.until).toISOString() : undefined,
  };
}

function parseCursor(cursor: string | undefined): number | null {
  if (!cursor) return null;
  if (!/^\d{1,18}$/.test(cursor)) {
    throw new DomainError('validation_failed', 'The cursor is not valid.', {
      errors: [{ field: '/cursor', message: 'Not a cursor from this API.' }],
    });
  }
  return Number(cursor);
}

/** `GET /audit` (docs/product/console.md#audit-log): filtered events, newest first, with a cursor for the next page. */
export async function listAuditEvents(
  ctx: OperationContext,
  query: AuditQuery,
): Promise<{ items: AuditEventView[]; nextCursor: string | null }> {
  const db = ctx.database.db;
  const actor = callerSubject(ctx);
  assertCanViewAuditLog(actor);
  const limit = query.limit ?? 50;
  const rows = await auditEventsBefore(db, filterOf(query), parseCursor(query.cursor), limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(presentAuditEvent), nextCursor: rows.length > limit && last ? String(last.seq) : null };
}

const csvColumns = [
  'at',
  'seq',
  'id',
  'actor_type',
  'actor_id',
  'actor_name',
  'via',
  'action',
  'target_type',
  'target_id',
  'target_name',
  'outcome',
  'ip',
  'user_agent',
  'request_id',
  'details',
  'hash',
] as const satisfies ReadonlyArray<keyof AuditEventRow>;

/** Rows per read: a few milliseconds of work on SQLite, whose reads block the thread (docs/product/security-settings.md#bounded-work). */
export const exportSliceSize = 500;

/**
 * `GET /audit/export`: the filtered events as JSON Lines or CSV, streamed in slices (constant memory). Between slices
 * the event loop serves other requests, so a long export never holds up logins or `/healthz`
 * (docs/product/security-settings.md#bounded-work). CSV cells go through the one CSV writer: an anonymous login name or
 * User-Agent cannot become a formula (docs/product/security-settings.md#input).
 */
export function exportAuditEvents(ctx: OperationContext, query: AuditQuery, format: 'jsonl' | 'csv'): Readable {
  const db = ctx.database.db;
  const actor = callerSubject(ctx);
  assertCanViewAuditLog(actor);
  const filter = filterOf(query);
  async function* rows() {
    let before: number | null = null;
    for (;;) {
      const batch = await auditEventsBefore(db, filter, before, exportSliceSize);
      for (const row of batch) yield row;
      const last = batch.at(-1);
      if (batch.length < exportSliceSize || !last) return;
      before = Number(last.seq);
      await yieldToEventLoop();
    }
  }
  if (format === 'jsonl') {
    return Readable.from(
      (async function* () {
        for await (const row of rows()) yield `${JSON.stringify(presentAuditEvent(row))}\n`;
      })(),
    );
  }
  return Readable.from(
    csvChunks(
      csvColumns,
      (async function* () {
        for await (const row of rows()) yield csvColumns.map((column): CsvCell => (column === 'seq' ? Number(row.seq) : row[column]));
      })(),
    ),
  );
}
