import { Alert, Button, Group, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { ProjectRole } from '../../api/catalogue';
import { isApiError } from '../../api/client';
import { type SubjectType, setProjectAccess } from '../../api/projects';
import { IconAlert } from '../../components/icons';
import { PersonPicker, type PickedPerson } from '../people/person-picker';
import { GroupPicker, type PickedGroup } from './group-picker';
import { projectKeys } from './project-queries';
import { projectRoleOptions } from './project-role';

/** Give a user or a group a project role (docs/product/console.md#projects). Whoever may manage access may look people up by handle. */
export function AddAccessForm({ projectId }: { projectId: string }) {
  const queryClient = useQueryClient();
  const [type, setType] = useState<SubjectType>('user');
  const [person, setPerson] = useState<PickedPerson | null>(null);
  const [group, setGroup] = useState<PickedGroup | null>(null);
  const [role, setRole] = useState<ProjectRole>('reader');
  const [added, setAdded] = useState<string | null>(null);
  const subject =
    type === 'user' ? (person ? { id: person.id, name: person.username } : null) : group ? { id: group.id, name: group.name } : null;

  const add = useMutation({
    mutationFn: (target: { id: string; name: string }) => setProjectAccess(projectId, type, target.id, role),
    onSuccess: (_result, target) => {
      setAdded(`${target.name} now has the ${projectRoleOptions.find((option) => option.value === role)?.label} role.`);
      setPerson(null);
      setGroup(null);
      // The next grant starts from the default role again, not from the last one (issue 17 item 7).
      setRole('reader');
      void queryClient.invalidateQueries({ queryKey: projectKeys.access(projectId) });
    },
  });

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (subject) add.mutate(subject);
  }

  return (
    <form onSubmit={submit} aria-label="Add access">
      <Stack gap="xs">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Stack gap={4}>
            <Text fz="sm" fw={600} id="subject-type-label">
              Add
            </Text>
            <SegmentedControl
              aria-labelledby="subject-type-label"
              value={type}
              onChange={(value) => setType(value === 'group' ? 'group' : 'user')}
              data={[
                { value: 'user', label: 'User' },
                { value: 'group', label: 'Group' },
              ]}
            />
          </Stack>
          <div style={{ flex: '1 1 220px' }}>
            {type === 'user' ? (
              <PersonPicker label="User" value={person} onChange={setPerson} />
            ) : (
              <GroupPicker value={group} onChange={setGroup} />
            )}
          </div>
          <Select
            label="Project role"
            data={projectRoleOptions}
            value={role}
            allowDeselect={false}
            onChange={(value) => value && setRole(value as ProjectRole)}
            w={150}
          />
          <Button type="submit" disabled={subject === null} loading={add.isPending}>
            Give access
          </Button>
        </Group>
        {added !== null && !add.isError && (
          <Text fz="sm" c="var(--mantine-color-green-light-color)" role="status">
            {added}
          </Text>
        )}
        {add.isError && (
          <Alert color="red" variant="light" icon={<IconAlert />} title="Could not give access">
            {isApiError(add.error) ? add.error.detail : 'Something went wrong. Please try again.'}
          </Alert>
        )}
      </Stack>
    </form>
  );
}
