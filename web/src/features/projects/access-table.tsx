import { ActionIcon, Alert, Badge, Group, Select, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ProjectRole } from '../../api/catalogue';
import { isApiError } from '../../api/client';
import { type AccessEntry, removeProjectAccess, setProjectAccess } from '../../api/projects';
import { EntityLink } from '../../components/entity-link';
import { IconAlert, IconX } from '../../components/icons';
import { ServiceAccountBadge } from '../service-accounts/service-account-badge';
import { accessRows } from './access-rows';
import { projectKeys } from './project-queries';
import { projectRoleLabel, projectRoleOptions } from './project-role';

interface AccessTableProps {
  projectId: string;
  entries: readonly AccessEntry[];
  canManage: boolean;
  /** Whether subjects link to their person page (needs organization.people.view). */
  linkPeople: boolean;
}

/**
 * Who has access and with which project role, one row per person or group with every reason
 * (docs/product/console.md#projects); implicit access is named and cannot be removed here. On a phone the reasons move
 * under the name and nothing is wider than the window.
 */
export function AccessTable({ projectId, entries, canManage, linkPeople }: AccessTableProps) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: projectKeys.access(projectId) });
  const change = useMutation({
    mutationFn: ({ entry, role }: { entry: AccessEntry; role: ProjectRole }) =>
      setProjectAccess(projectId, entry.subjectType, entry.subject.id, role),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (entry: AccessEntry) => removeProjectAccess(projectId, entry.subjectType, entry.subject.id),
    onSettled: refresh,
  });
  const failure = change.error ?? remove.error;

  return (
    <Stack gap="sm">
      {failure && (
        <Alert color="red" variant="light" icon={<IconAlert />} title="Could not change access">
          {isApiError(failure) ? failure.detail : 'Something went wrong. Please try again.'}
        </Alert>
      )}
      <Table verticalSpacing="sm" aria-label="People and groups with access">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Who</Table.Th>
            <Table.Th>Project role</Table.Th>
            <Table.Th visibleFrom="sm">Why</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {accessRows(entries).map((row) => {
            const name = row.subject.name;
            const granted = row.granted;
            const reasons = row.reasons.join(' · ');
            return (
              <Table.Tr key={row.key} data-subject={name}>
                <Table.Td style={{ minWidth: 0, maxWidth: 260 }}>
                  <Group gap={6} wrap="nowrap">
                    {row.subjectType === 'group' ? (
                      <EntityLink kind="group" id={row.subject.id} name={name} />
                    ) : linkPeople && !row.serviceAccount ? (
                      // A service account has no person page: its badge says what it is, People → Service accounts edits it.
                      <EntityLink kind="person" id={name} name={name} />
                    ) : (
                      <Text fw={700} truncate>
                        {name}
                      </Text>
                    )}
                    {row.subjectType === 'group' && (
                      <Badge variant="outline" color="gray" tt="none" radius="sm" size="sm" style={{ flex: 'none' }}>
                        Group
                      </Badge>
                    )}
                    {row.serviceAccount && <ServiceAccountBadge size="xs" />}
                  </Group>
                  {'email' in row.subject && row.subject.email && (
                    <Text fz="sm" c="dimmed" truncate>
                      {row.subject.email}
                    </Text>
                  )}
                  <Text fz="xs" c="dimmed" hiddenFrom="sm" data-reasons="">
                    {reasons}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {canManage && granted ? (
                    <Select
                      aria-label={`Project role of ${name}`}
                      data={projectRoleOptions}
                      value={granted.role}
                      allowDeselect={false}
                      onChange={(role) => role && role !== granted.role && change.mutate({ entry: granted, role: role as ProjectRole })}
                      disabled={change.isPending}
                      size="xs"
                      w={{ base: 112, sm: 140 }}
                    />
                  ) : (
                    <Text fz="sm" fw={600}>
                      {projectRoleLabel(row.role)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td visibleFrom="sm">
                  <Text fz="sm" c="dimmed" data-reasons="">
                    {reasons}
                  </Text>
                </Table.Td>
                <Table.Td w={44} px={4}>
                  {canManage && granted?.removable && (
                    <Tooltip label={`Remove access of ${name}`} withArrow>
                      <ActionIcon
                        variant="default"
                        onClick={() => remove.mutate(granted)}
                        loading={remove.isPending && remove.variables === granted}
                        aria-label={`Remove access of ${name}`}
                      >
                        <IconX size={16} />
                      </ActionIcon>
                    </Tooltip>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
