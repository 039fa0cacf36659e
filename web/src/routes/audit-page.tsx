import { Paper, Stack } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { noAuditFilters } from '../api/audit';
import { EmptyState } from '../components/empty-state';
import { ErrorState } from '../components/error-state';
import { LoadMore } from '../components/load-more';
import { PageHeader } from '../components/page-header';
import { PageLoader } from '../components/page-loader';
import { RequireAbility } from '../components/require-ability';
import { AuditEventList } from '../features/audit/audit-event-list';
import { AuditFiltersForm } from '../features/audit/audit-filters-form';
import { auditEventsOptions } from '../features/audit/audit-queries';
import { useAuditFilters } from '../features/audit/audit-search-params';
import { AuditTable } from '../features/audit/audit-table';
import { AuditTools } from '../features/audit/audit-tools';

/**
 * `/audit`: every change and security event, filterable, exportable and verifiable (docs/product/console.md#audit-log,
 * docs/product/audit-log.md#verification).
 */
export function AuditPage() {
  return (
    <>
      <PageHeader title="Audit log" description="Every change and sign-in on this server, in a tamper-evident trail." />
      <RequireAbility ability="viewAuditLog">
        <AuditLog />
      </RequireAbility>
    </>
  );
}

function AuditLog() {
  const [filters, applyFilters] = useAuditFilters();
  const events = useInfiniteQuery(auditEventsOptions(filters));
  const items = events.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = JSON.stringify(filters) !== JSON.stringify(noAuditFilters);
  // A phone gets cards (action first) instead of a table that would hide most columns off-screen.
  const wide = useMediaQuery('(min-width: 48em)', true);

  return (
    <Stack gap="lg">
      <Paper withBorder p="md" bg="gray.0">
        <AuditFiltersForm key={JSON.stringify(filters)} filters={filters} onApply={applyFilters} />
      </Paper>
      <AuditTools filters={filters} />
      {events.isPending ? (
        <PageLoader label="Loading events…" />
      ) : events.isError ? (
        <ErrorState title="Could not load the audit log" error={events.error} onRetry={() => void events.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={filtered ? 'No event matches these filters' : 'No events yet'}>
          {filtered ? 'Try a wider time range, or a prefix such as user.* for the action.' : 'Changes and sign-ins will appear here.'}
        </EmptyState>
      ) : (
        <>
          {wide ? <AuditTable events={items} /> : <AuditEventList events={items} />}
          <LoadMore
            hasMore={events.hasNextPage}
            loading={events.isFetchingNextPage}
            onLoadMore={() => void events.fetchNextPage()}
            shownLabel={`${items.length} ${items.length === 1 ? 'event' : 'events'} shown, newest first`}
          />
        </>
      )}
    </Stack>
  );
}
