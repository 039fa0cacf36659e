import { Button, Group, Paper, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { listGroups } from '../../api/groups';
import { EntityLink } from '../../components/entity-link';
import { ErrorState } from '../../components/error-state';
import { IconGroups } from '../../components/icons';
import { RoleBadge } from '../../components/role-badge';

/** Groups next to the people (docs/product/console.md#people "users and groups"): name, instance role and member count. */
export function GroupsSection({ query }: { query: string }) {
  const groups = useInfiniteQuery({
    queryKey: ['groups', 'list', query],
    queryFn: ({ pageParam, signal }) => listGroups({ query, cursor: pageParam, limit: 20 }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = groups.data?.pages.flatMap((page) => page.items) ?? [];
  // With a search that matches no group, the section steps aside rather than adding a second "nothing found".
  if (groups.isSuccess && items.length === 0 && query !== '') return null;

  return (
    <Paper withBorder component="section" aria-labelledby="groups-heading">
      <Group px="lg" py="md" gap="xs" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <IconGroups size={20} />
        <Title order={2} fz="lg" id="groups-heading">
          Groups
        </Title>
      </Group>
      {groups.isError ? (
        <ErrorState title="Could not load groups" error={groups.error} onRetry={() => void groups.refetch()} />
      ) : groups.isPending ? (
        <Text p="lg" c="dimmed" role="status">
          Loading groups…
        </Text>
      ) : items.length === 0 ? (
        <Text p="lg" c="dimmed">
          No groups yet. Groups give their members an instance role and project access together.
        </Text>
      ) : (
        <Table verticalSpacing="sm" aria-label="Groups">
          <Table.Thead>
            <Table.Tr>
              <Table.Th pl="lg">Group</Table.Th>
              <Table.Th>Instance role</Table.Th>
              <Table.Th>Members</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((group) => (
              <Table.Tr key={group.id}>
                <Table.Td pl="lg">
                  <EntityLink kind="group" id={group.id} name={group.name} />
                  {group.description !== '' && (
                    <Text fz="sm" c="dimmed" lineClamp={1}>
                      {group.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {group.role === null ? (
                    <Text fz="sm" c="dimmed">
                      None
                    </Text>
                  ) : (
                    <RoleBadge role={group.role} />
                  )}
                </Table.Td>
                <Table.Td>{group.memberCount}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {groups.hasNextPage && (
        <Group justify="center" p="md">
          <Button variant="default" onClick={() => void groups.fetchNextPage()} loading={groups.isFetchingNextPage}>
            Load more groups
          </Button>
        </Group>
      )}
    </Paper>
  );
}
