import type { ApiPaths } from '../../../src/shared/api/api-calls';
import type { AuditEventView, AuditList, AuditVerification } from '../../../src/shared/api/audit';
import { API_BASE, api, dataOf } from './client';

export type { AuditEventView, AuditVerification };

export type AuditOutcome = AuditEventView['outcome'];

/** The filters of the Audit log page (docs/product/console.md#audit-log); empty strings mean "any". Times are ISO 8601 instants. */
export interface AuditFilters {
  actor: string;
  action: string;
  target: string;
  outcome: AuditOutcome | '';
  since: string;
  until: string;
}

export const noAuditFilters: AuditFilters = { actor: '', action: '', target: '', outcome: '', since: '', until: '' };

export type AuditPage = AuditList;

/** The filters as query parameters, trimmed; empty ones are left out (an empty outcome means any). */
function filterQuery(filters: AuditFilters) {
  const trimmed = (value: string) => (value.trim() === '' ? undefined : value.trim());
  return {
    actor: trimmed(filters.actor),
    action: trimmed(filters.action),
    target: trimmed(filters.target),
    outcome: filters.outcome === '' ? undefined : filters.outcome,
    since: trimmed(filters.since),
    until: trimmed(filters.until),
  };
}

/** One page of events, newest first. */
export function fetchAuditEvents(filters: AuditFilters, cursor: string | null, signal?: AbortSignal): Promise<AuditPage> {
  return dataOf(api.GET('/audit', { params: { query: { ...filterQuery(filters), cursor: cursor ?? undefined } }, signal }));
}

type AuditExportQuery = NonNullable<ApiPaths['/audit/export']['get']['parameters']['query']>;

/**
 * Where the browser downloads the filtered events as JSON Lines or CSV: a link (a plain GET with the session cookie),
 * not a call of the client, so only its query is typed by the document.
 */
export function auditExportUrl(filters: AuditFilters, format: 'jsonl' | 'csv'): string {
  const query: AuditExportQuery = { ...filterQuery(filters), format };
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  return `${API_BASE}/audit/export?${params}`;
}

/** Recomputes the hash chain on the server and reports the first broken event, if any. */
export function verifyAuditChain(): Promise<AuditVerification> {
  return dataOf(api.POST('/audit/verify'));
}
