import { ActionIcon, Avatar, Badge, Box, Button, Group, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { memo } from 'react';
import type { Person } from '../../api/people';
import { EntityLink } from '../../components/entity-link';
import { IconUserCog, IconX } from '../../components/icons';
import { RelativeTime } from '../../components/relative-time';
import { RoleBadge, roleLabel } from '../../components/role-badge';
import type { ServiceAccountRef } from '../service-accounts/edit-service-account-dialog';
import { ServiceAccountBadge } from '../service-accounts/service-account-badge';
import { serviceAccountFacts } from '../service-accounts/service-account-view';
import { TokenExpiry } from '../service-accounts/token-expiry';
import { TwoFactorBadge } from './two-factor-badge';

interface PeopleTableProps {
  people: readonly Person[];
  onEdit: (person: Person) => void;
  onRemove: (person: Person) => void;
  onEditServiceAccount: (account: ServiceAccountRef) => void;
  onDeleteServiceAccount: (account: ServiceAccountRef) => void;
}

/** Status in words: removed, waiting for a first login with a temporary password, or active. */
export function PersonStatus({ person }: { person: Pick<Person, 'status' | 'mustChangePassword'> }) {
  if (person.status === 'deactivated') {
    return (
      <Badge color="gray" variant="light" tt="none" radius="sm">
        Deactivated
      </Badge>
    );
  }
  if (person.status === 'removed') {
    return (
      <Badge color="gray" variant="light" tt="none" radius="sm">
        Removed
      </Badge>
    );
  }
  if (person.mustChangePassword) {
    return (
      <Badge color="orange" variant="light" tt="none" radius="sm">
        Temporary password
      </Badge>
    );
  }
  return (
    <Badge color="green" variant="light" tt="none" radius="sm">
      Active
    </Badge>
  );
}

/** The People table (docs/product/console.md#people). Edit and × appear only where the server's row abilities allow them (R2). */
/**
 * Memoised: typing in the search box re-renders the page on every keystroke, and a page of rows with its tooltips is
 * the costly part; the rows only change when the query's data does.
 */
export const PeopleTable = memo(function PeopleTable({
  people,
  onEdit,
  onRemove,
  onEditServiceAccount,
  onDeleteServiceAccount,
}: PeopleTableProps) {
  return (
    <Table verticalSpacing="sm" highlightOnHover aria-label="People">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{people.some((row) => serviceAccountFacts(row) !== null) ? 'Name' : 'Person'}</Table.Th>
          <Table.Th visibleFrom="sm">Role</Table.Th>
          <Table.Th visibleFrom="md">Groups</Table.Th>
          <Table.Th visibleFrom="sm">Status</Table.Th>
          <Table.Th visibleFrom="sm">
            <abbr title="Two-factor authentication">2FA</abbr>
          </Table.Th>
          <Table.Th visibleFrom="md">Last seen</Table.Th>
          <Table.Th>
            <VisuallyHidden>Actions</VisuallyHidden>
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {people.map((person) => {
          const serviceAccount = serviceAccountFacts(person);
          const account = { id: person.id, name: person.username };
          const edit = () => (serviceAccount ? onEditServiceAccount(account) : onEdit(person));
          const remove = () => (serviceAccount ? onDeleteServiceAccount(account) : onRemove(person));
          const removeLabel = `${serviceAccount ? 'Delete' : 'Remove'} ${person.username}`;
          return (
            <Table.Tr key={person.id} data-username={person.username} data-type={serviceAccount ? 'service_account' : 'person'}>
              <Table.Td maw={{ base: 220, sm: 'none' }}>
                <Group gap="sm" wrap="nowrap">
                  <Avatar
                    name={person.username}
                    color={serviceAccount ? '#5f3dc4' : '#1f2a37'}
                    variant="filled"
                    radius={serviceAccount ? 'sm' : 'xl'}
                    size={36}
                    visibleFrom="sm"
                    aria-hidden="true"
                  />
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    {serviceAccount ? (
                      <Group gap={6} wrap="wrap">
                        <Text fw={600} truncate>
                          {person.username}
                        </Text>
                        <ServiceAccountBadge size="xs" />
                      </Group>
                    ) : (
                      <EntityLink kind="person" id={person.username} name={person.username} truncate />
                    )}
                    {serviceAccount ? (
                      <TokenExpiry expiresAt={serviceAccount.tokenExpiresAt} size="xs" />
                    ) : (
                      <Text fz="sm" c="dimmed" truncate>
                        {person.email}
                      </Text>
                    )}
                    <Box hiddenFrom="sm" mt={4}>
                      <RoleBadge role={person.effectiveRole} size="xs" />
                    </Box>
                  </Stack>
                </Group>
              </Table.Td>
              <Table.Td visibleFrom="sm">
                <Stack gap={2} align="flex-start">
                  <RoleBadge role={person.effectiveRole} />
                  {person.effectiveRole !== person.role && (
                    <Text fz="xs" c="dimmed">
                      via group (own: {roleLabel(person.role)})
                    </Text>
                  )}
                </Stack>
              </Table.Td>
              <Table.Td visibleFrom="md">
                {person.groups.length === 0 ? (
                  <Text fz="sm" c="dimmed">
                    None
                  </Text>
                ) : (
                  <Text fz="sm">
                    {person.groups.map((group, index) => (
                      <span key={group.id}>
                        {index > 0 && ', '}
                        <EntityLink kind="group" id={group.id} name={group.name} />
                      </span>
                    ))}
                  </Text>
                )}
              </Table.Td>
              <Table.Td visibleFrom="sm">
                <PersonStatus person={person} />
              </Table.Td>
              <Table.Td visibleFrom="sm">
                {serviceAccount ? (
                  // Service accounts have no login, so no second factor either.
                  <Text fz="sm" c="dimmed">
                    <span aria-hidden="true">—</span>
                    <VisuallyHidden>Not applicable: a service account has no login</VisuallyHidden>
                  </Text>
                ) : (
                  <TwoFactorBadge enabled={person.mfaEnabled} />
                )}
              </Table.Td>
              <Table.Td visibleFrom="md">
                <RelativeTime value={person.lastSeenAt} fz="sm" />
              </Table.Td>
              <Table.Td>
                <Group gap={0} justify="flex-end" wrap="nowrap">
                  {person.abilities.edit && (
                    <Button
                      variant="default"
                      size="xs"
                      leftSection={<IconUserCog size={16} />}
                      onClick={edit}
                      aria-label={`Edit ${person.username}`}
                      style={person.abilities.remove ? { borderTopRightRadius: 0, borderBottomRightRadius: 0 } : undefined}
                    >
                      Edit
                    </Button>
                  )}
                  {person.abilities.remove && (
                    <Tooltip label={removeLabel} withArrow>
                      <ActionIcon
                        variant="default"
                        size={30}
                        onClick={remove}
                        aria-label={removeLabel}
                        style={person.abilities.edit ? { borderTopLeftRadius: 0, borderBottomLeftRadius: 0, borderLeft: 0 } : undefined}
                      >
                        <IconX size={16} />
                      </ActionIcon>
                    </Tooltip>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
});
