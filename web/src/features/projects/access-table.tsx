import { ActionIcon, Alert, Anchor, Badge, Group, Select, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { ProjectRole } from '../../api/catalogue';
import { isApiError } from '../../api/client';
import { type AccessEntry, removeProjectAccess, setProjectAccess } from '../../api/projects';
import { IconAlert, IconX } from '../../components/icons';
import { projectKeys } from './project-queries';
import { projectRoleLabel, projectRoleOptions } from './project-role';

interface AccessTableProps {
  projectId: string;
  entries: readonly AccessEntry[];
  canManage: boolean;
  /** Whether subjects link to their person page (needs organization.people.view). */
  linkPeople: boolean;
}

const entryKey = (entry: AccessEntry) => `${entry.subjectType}:${entry.subject.id}:${entry.implicit ? 'implicit' : 'granted'}`;

/** Who has access and with which project role; implicit Admins are marked and cannot be removed here (SPEC §4.5). */
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
          {entries.map((entry) => {
            const name = entry.subject.name;
            const editable = canManage && !entry.implicit;
            return (
              <Table.Tr key={entryKey(entry)} data-subject={name}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    {entry.subjectType === 'group' ? (
                      <Text fw={700}>{name}</Text>
                    ) : linkPeople ? (
                      <Anchor component={Link} to={`/people/${name}`} fw={700} c="dark" underline="hover">
                        {name}
                      </Anchor>
                    ) : (
                      <Text fw={700}>{name}</Text>
                    )}
                    {entry.subjectType === 'group' && (
                      <Badge variant="outline" color="gray" tt="none" radius="sm" size="sm">
                        Group
                      </Badge>
                    )}
                  </Group>
                  {'email' in entry.subject && entry.subject.email && (
                    <Text fz="sm" c="dimmed" truncate>
                      {entry.subject.email}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {editable ? (
                    <Select
                      aria-label={`Project role of ${name}`}
                      data={projectRoleOptions}
                      value={entry.role}
                      allowDeselect={false}
                      onChange={(role) => role && role !== entry.role && change.mutate({ entry, role: role as ProjectRole })}
                      disabled={change.isPending}
                      size="xs"
                      w={140}
                    />
                  ) : (
                    <Text fz="sm" fw={600}>
                      {projectRoleLabel(entry.role)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td visibleFrom="sm">
                  {entry.implicit ? (
                    <Badge color="gray" variant="light" tt="none" radius="sm">
                      Implicit: {entry.source}
                    </Badge>
                  ) : (
                    <Text fz="sm" c="dimmed">
                      {entry.subjectType === 'group' ? 'Granted to the group' : 'Granted'}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {canManage && entry.removable && !entry.implicit && (
                    <Tooltip label={`Remove access of ${name}`} withArrow>
                      <ActionIcon
                        variant="default"
                        onClick={() => remove.mutate(entry)}
                        loading={remove.isPending && remove.variables === entry}
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
