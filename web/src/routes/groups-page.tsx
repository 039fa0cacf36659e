import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { EmptyState } from '../components/empty-state';
import { ErrorState } from '../components/error-state';
import { LoadMore } from '../components/load-more';
import { PageHeader } from '../components/page-header';
import { PageLoader } from '../components/page-loader';
import { RequireAbility } from '../components/require-ability';
import { groupsListOptions } from '../features/groups/groups-queries';
import { GroupsTable } from '../features/groups/groups-table';
import { NewGroupDialog } from '../features/groups/new-group-dialog';
import { useSession } from '../features/session/session-context';

/** `/groups`: teams that share an instance role and project access (docs/product/console.md#groups). */
export function GroupsPage() {
  return (
    <>
      <PageHeader title="Groups" description="Teams that share an instance role and project access." />
      <RequireAbility ability="viewGroups">
        <GroupsList />
      </RequireAbility>
    </>
  );
}

function GroupsList() {
  const { abilities } = useSession();
  const [opened, dialog] = useDisclosure(false);
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 250);
  const groups = useInfiniteQuery(groupsListOptions(query));
  const items = groups.data?.pages.flatMap((page) => page.items) ?? [];

  const newGroup = abilities.manageGroups ? <Button onClick={dialog.open}>New group</Button> : null;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" gap="sm">
        <TextInput
          type="search"
          label="Search groups"
          placeholder="Part of a group's name"
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={{ base: '100%', xs: 320 }}
        />
        {newGroup}
      </Group>
      {groups.isPending ? (
        <PageLoader label="Loading groups…" />
      ) : groups.isError ? (
        <ErrorState title="Could not load the groups" error={groups.error} onRetry={() => void groups.refetch()} />
      ) : items.length === 0 ? (
        query === '' ? (
          <EmptyState title="No groups yet" action={newGroup}>
            Groups give several people the same instance role and the same access to projects.
            {abilities.manageGroups ? ' Create the first one.' : ''}
          </EmptyState>
        ) : (
          <EmptyState title="No group matches">No group name contains "{query}".</EmptyState>
        )
      ) : (
        <>
          <GroupsTable groups={items} />
          <LoadMore
            hasMore={groups.hasNextPage}
            loading={groups.isFetchingNextPage}
            onLoadMore={() => void groups.fetchNextPage()}
            shownLabel={`${items.length} ${items.length === 1 ? 'group' : 'groups'} shown`}
          />
        </>
      )}
      {abilities.manageGroups && <NewGroupDialog opened={opened} onClose={dialog.close} />}
    </Stack>
  );
}
