import type { AuditEventView, AuditList, AuditVerification } from '../../../src/shared/api/audit';
import { API_BASE, apiRequest } from './client';

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

function filterParams(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value.trim() !== '') params.set(name, value.trim());
  }
  return params;
}

/** One page of events, newest first. */
export function fetchAuditEvents(filters: AuditFilters, cursor: string | null, signal?: AbortSignal): Promise<AuditPage> {
  const params = filterParams(filters);
  if (cursor) params.set('cursor', cursor);
  return apiRequest<AuditPage>(`/audit?${params}`, { signal });
}

/** Where the browser downloads the filtered events as JSON Lines or CSV (a plain GET with the session cookie). */
export function auditExportUrl(filters: AuditFilters, format: 'jsonl' | 'csv'): string {
  const params = filterParams(filters);
  params.set('format', format);
  return `${API_BASE}/audit/export?${params}`;
}

/** Recomputes the hash chain on the server and reports the first broken event, if any. */
export function verifyAuditChain(): Promise<AuditVerification> {
  return apiRequest<AuditVerification>('/audit/verify', { method: 'POST' });
}
