import { Table, Text } from '@mantine/core';
import type { GroupView } from '../../api/group-management';
import { EntityLink } from '../../components/entity-link';
import { GroupRoleBadge } from './group-role';

/** The groups list: name (to the group's page), instance role, member count, description. */
export function GroupsTable({ groups }: { groups: GroupView[] }) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Instance role</Table.Th>
            <Table.Th scope="col" ta="right">
              Members
            </Table.Th>
            <Table.Th scope="col">Description</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {groups.map((group) => (
            <Table.Tr key={group.id}>
              <Table.Td>
                <EntityLink kind="group" id={group.id} name={group.name} />
              </Table.Td>
              <Table.Td>
                <GroupRoleBadge role={group.role} />
              </Table.Td>
              <Table.Td ta="right">{group.memberCount}</Table.Td>
              <Table.Td>
                <Text size="sm" c={group.description ? undefined : 'dimmed'} lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
                  {group.description || 'No description'}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
