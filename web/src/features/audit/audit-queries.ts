import { infiniteQueryOptions } from '@tanstack/react-query';
import { type AuditFilters, fetchAuditEvents } from '../../api/audit';

/** Audit events for the filters, newest first, page by page (`Load more`). */
export function auditEventsOptions(filters: AuditFilters) {
  return infiniteQueryOptions({
    queryKey: ['audit', 'events', filters],
    queryFn: ({ pageParam, signal }) => fetchAuditEvents(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}
