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
import { IconPeople, IconServiceAccount, IconUserPlus } from '../components/icons';
import { PageHeader } from '../components/page-header';
import { PageLoader } from '../components/page-loader';
import { RequireAbility } from '../components/require-ability';
import { AddPeopleDialog } from '../features/people/add-people-dialog';
import { EditUserDialog } from '../features/people/edit-user-dialog';
import { GroupsSection } from '../features/people/groups-section';
import { type AccountType, type MfaFilter, type PeopleListFilter, peopleListOptions } from '../features/people/people-queries';
import { PeopleTable } from '../features/people/people-table';
import { PeopleToolbar } from '../features/people/people-toolbar';
import { RemovePersonDialog } from '../features/people/remove-person-dialog';
import { CreateServiceAccountDialog } from '../features/service-accounts/create-service-account-dialog';
import { DeleteServiceAccountDialog } from '../features/service-accounts/delete-service-account-dialog';
import { EditServiceAccountDialog, type ServiceAccountRef } from '../features/service-accounts/edit-service-account-dialog';
import { useSession } from '../features/session/session-context';

const roles: readonly string[] = organizationRoleIds;
const accountTypes: readonly AccountType[] = ['person', 'service_account', 'all'];
const mfaFilters: readonly MfaFilter[] = ['enabled', 'disabled'];

/** The filter lives in the address (`?q=&role=&status=&type=&mfa=`), so that a filtered list can be bookmarked and shared. */
function useFilterFromAddress(): [PeopleListFilter, (change: Partial<PeopleListFilter>) => void] {
  const [params, setParams] = useSearchParams();
  const role = params.get('role');
  const type = accountTypes.find((value) => value === params.get('type')) ?? 'person';
  const filter: PeopleListFilter = {
    query: params.get('q') ?? '',
    role: role !== null && roles.includes(role) ? (role as InstanceRoleId) : undefined,
    status: params.get('status') === 'removed' ? 'removed' : 'active',
    type,
    // Service accounts have no second factor: the toolbar hides the 2FA filter for them, so it filters nothing.
    mfa: type === 'service_account' ? undefined : mfaFilters.find((mfa) => mfa === params.get('mfa')),
  };
  const update = (change: Partial<PeopleListFilter>) => {
    const next = { ...filter, ...change };
    const values = new URLSearchParams();
    if (next.query !== '') values.set('q', next.query);
    if (next.role) values.set('role', next.role);
    if (next.status !== 'active') values.set('status', next.status);
    if (next.type !== 'person') values.set('type', next.type);
    if (next.mfa) values.set('mfa', next.mfa);
    setParams(values, { replace: true });
  };
  return [filter, update];
}

/** `/people`: people on this server, their roles and temporary passwords (docs/product/console.md#people). */
export function PeoplePage() {
  return (
    <>
      <PageHeader
        title="People"
        description="Everyone who can log in to this server, the service accounts that scripts use, their roles and groups."
      />
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
  const [creatingServiceAccount, setCreatingServiceAccount] = useState(false);
  const [editingServiceAccount, setEditingServiceAccount] = useState<ServiceAccountRef | null>(null);
  const [deletingServiceAccount, setDeletingServiceAccount] = useState<ServiceAccountRef | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: only a settled search term updates the address
  useEffect(() => {
    if (debouncedSearch !== filter.query) setFilter({ query: debouncedSearch });
  }, [debouncedSearch]);

  const people = useInfiniteQuery(peopleListOptions(filter));
  const rows = useMemo(() => people.data?.pages.flatMap((page) => page.items) ?? [], [people.data]);
  const filtered = filter.query !== '' || filter.role !== undefined || filter.status !== 'active' || filter.mfa !== undefined;
  const noun = filter.type === 'person' ? (rows.length === 1 ? 'person' : 'people') : rows.length === 1 ? 'account' : 'accounts';
  const emptyTitle = filtered ? 'Nobody matches' : filter.type === 'service_account' ? 'No service accounts yet' : 'Nobody here yet';
  const emptyHint = filtered
    ? 'Try another search or clear the role, status and 2FA filters.'
    : filter.type === 'service_account'
      ? 'Create a service account for a script or a CI pipeline.'
      : 'Add people to give them an account.';

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
            {abilities.manageServiceAccounts && (
              <Button variant="default" leftSection={<IconServiceAccount size={18} />} onClick={() => setCreatingServiceAccount(true)}>
                Create Service Account
              </Button>
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
          <EmptyState title={emptyTitle}>{emptyHint}</EmptyState>
        ) : (
          <PeopleTable
            people={rows}
            onEdit={setEditing}
            onRemove={setRemoving}
            onEditServiceAccount={setEditingServiceAccount}
            onDeleteServiceAccount={setDeletingServiceAccount}
          />
        )}
        <Group justify="space-between" px="lg" py="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
          <Text fz="sm" c="dimmed" role="status">
            {people.isSuccess && `Showing ${rows.length} ${noun}${people.hasNextPage ? '; more below' : ''}`}
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
      {abilities.viewGroups && filter.status === 'active' && filter.role === undefined && filter.type !== 'service_account' && (
        <GroupsSection query={filter.query} />
      )}
      <AddPeopleDialog opened={adding} onClose={() => setAdding(false)} />
      <EditUserDialog person={editing} onClose={() => setEditing(null)} />
      <RemovePersonDialog person={removing} onClose={() => setRemoving(null)} />
      <CreateServiceAccountDialog opened={creatingServiceAccount} onClose={() => setCreatingServiceAccount(false)} />
      <EditServiceAccountDialog
        account={editingServiceAccount}
        onClose={() => setEditingServiceAccount(null)}
        onDelete={(account) => {
          setEditingServiceAccount(null);
          setDeletingServiceAccount(account);
        }}
      />
      <DeleteServiceAccountDialog account={deletingServiceAccount} onClose={() => setDeletingServiceAccount(null)} />
    </Stack>
  );
}
