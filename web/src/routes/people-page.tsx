import { Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { organizationRoleIds } from '../api/catalogue';
import type { Person } from '../api/people';
import type { InstanceRoleId } from '../api/types';
import { EmptyState } from '../components/empty-state';
import { ErrorState } from '../components/error-state';
import { IconPeople, IconUserPlus } from '../components/icons';
import { PageHeader } from '../components/page-header';
import { PageLoader } from '../components/page-loader';
import { RequireAbility } from '../components/require-ability';
import { AddPeopleDialog } from '../features/people/add-people-dialog';
import { EditUserDialog } from '../features/people/edit-user-dialog';
import { GroupsSection } from '../features/people/groups-section';
import { type PeopleListFilter, peopleListOptions } from '../features/people/people-queries';
import { PeopleTable } from '../features/people/people-table';
import { PeopleToolbar } from '../features/people/people-toolbar';
import { RemovePersonDialog } from '../features/people/remove-person-dialog';
import { useSession } from '../features/session/session-context';

const roles: readonly string[] = organizationRoleIds;

/** The filter lives in the address (`?q=&role=&status=`), so that a filtered list can be bookmarked and shared. */
function useFilterFromAddress(): [PeopleListFilter, (change: Partial<PeopleListFilter>) => void] {
  const [params, setParams] = useSearchParams();
  const role = params.get('role');
  const filter: PeopleListFilter = {
    query: params.get('q') ?? '',
    role: role !== null && roles.includes(role) ? (role as InstanceRoleId) : undefined,
    status: params.get('status') === 'removed' ? 'removed' : 'active',
  };
  const update = (change: Partial<PeopleListFilter>) => {
    const next = { ...filter, ...change };
    const values = new URLSearchParams();
    if (next.query !== '') values.set('q', next.query);
    if (next.role) values.set('role', next.role);
    if (next.status !== 'active') values.set('status', next.status);
    setParams(values, { replace: true });
  };
  return [filter, update];
}

/** `/people`: people on this server, their roles and temporary passwords (docs/product/console.md#people). */
export function PeoplePage() {
  return (
    <>
      <PageHeader title="People" description="Everyone who can log in to this server, their roles and groups." />
      <RequireAbility ability="viewPeople">
        <PeopleDirectory />
      </RequireAbility>
    </>
  );
}

function PeopleDirectory() {
  const { abilities } = useSession();
  const [filter, setFilter] = useFilterFromAddress();
  const [search, setSearch] = useState(filter.query);
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Person | null>(null);
  const [removing, setRemoving] = useState<Person | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: only a settled search term updates the address
  useEffect(() => {
    if (debouncedSearch !== filter.query) setFilter({ query: debouncedSearch });
  }, [debouncedSearch]);

  const people = useInfiniteQuery(peopleListOptions(filter));
  const rows = useMemo(() => people.data?.pages.flatMap((page) => page.items) ?? [], [people.data]);
  const filtered = filter.query !== '' || filter.role !== undefined || filter.status !== 'active';

  return (
    <Stack gap="lg">
      <PeopleToolbar search={search} onSearchChange={setSearch} filter={filter} onFilterChange={setFilter} />
      <Paper withBorder component="section" aria-labelledby="people-heading">
        <Group justify="space-between" px="lg" py="md" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
          <Group gap="xs">
            <IconPeople size={20} />
            <Title order={2} fz="lg" id="people-heading">
              People
            </Title>
          </Group>
          <Group gap="xs">
            {/* As in the seed: what each role allows is one click away (issue 17 item 10). */}
            {abilities.viewRoles && (
              <Anchor component={Link} to="/settings/roles" fz="sm" fw={600}>
                View roles
              </Anchor>
            )}
            {abilities.managePeople && (
              <Button leftSection={<IconUserPlus size={18} />} onClick={() => setAdding(true)}>
                Add people
              </Button>
            )}
          </Group>
        </Group>
        {people.isError && rows.length === 0 ? (
          <ErrorState title="Could not load people" error={people.error} onRetry={() => void people.refetch()} />
        ) : people.isPending ? (
          <PageLoader label="Loading people…" />
        ) : rows.length === 0 ? (
          <EmptyState title={filtered ? 'Nobody matches' : 'Nobody here yet'}>
            {filtered ? 'Try another search or clear the role and status filters.' : 'Add people to give them an account.'}
          </EmptyState>
        ) : (
          <PeopleTable people={rows} onEdit={setEditing} onRemove={setRemoving} />
        )}
        <Group justify="space-between" px="lg" py="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
          <Text fz="sm" c="dimmed" role="status">
            {people.isSuccess &&
              `Showing ${rows.length} ${rows.length === 1 ? 'person' : 'people'}${people.hasNextPage ? '; more below' : ''}`}
            {people.isFetching && !people.isFetchingNextPage && !people.isPending ? ' · Updating…' : ''}
          </Text>
          {people.hasNextPage && (
            <Button variant="default" onClick={() => void people.fetchNextPage()} loading={people.isFetchingNextPage}>
              Load more
            </Button>
          )}
        </Group>
        {people.isFetchNextPageError && <ErrorState title="Could not load more people" error={people.error} />}
      </Paper>
      {abilities.viewGroups && filter.status === 'active' && filter.role === undefined && <GroupsSection query={filter.query} />}
      <AddPeopleDialog opened={adding} onClose={() => setAdding(false)} />
      <EditUserDialog person={editing} onClose={() => setEditing(null)} />
      <RemovePersonDialog person={removing} onClose={() => setRemoving(null)} />
    </Stack>
  );
}
