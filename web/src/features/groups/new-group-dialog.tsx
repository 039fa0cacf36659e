import { Alert, Button, Group, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { createGroup, type GroupRole } from '../../api/group-management';
import { errorDetail, fieldError } from '../../api/problem-fields';
import { Dialog } from '../../components/dialog';
import { IconAlert } from '../../components/icons';
import { GroupRoleField } from './group-role';
import { refreshGroups } from './groups-queries';

/** "New group": name, description and instance role; on success, opens the new group's page to add members. */
export function NewGroupDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [role, setRole] = useState<GroupRole>(null);
  const [nameError, setNameError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);

  const mutation = useMutation({
    mutationFn: createGroup,
    onSuccess: async (group) => {
      await refreshGroups(queryClient);
      close();
      await navigate(`/groups/${encodeURIComponent(group.id)}`, { state: { created: true } });
    },
    onError: (error) => {
      const forName = fieldError(error, 'name', ['name_taken']);
      if (forName !== undefined) setNameError(forName);
      else setFormError(errorDetail(error));
    },
  });

  function close(): void {
    setName('');
    setDescription('');
    setRole(null);
    setNameError(undefined);
    setFormError(null);
    onClose();
  }

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    setFormError(null);
    if (name.trim().length < 2) {
      setNameError('Use 2 to 64 characters.');
      return;
    }
    setNameError(undefined);
    mutation.mutate({ name: name.trim(), description: description.trim(), role });
  }

  return (
    <Dialog opened={opened} onClose={close} title="New group" size="lg">
      <form onSubmit={submit} noValidate aria-label="New group">
        <Stack gap="md">
          {formError !== null && (
            <Alert color="red" variant="light" icon={<IconAlert />} title="Could not create the group">
              {formError}
            </Alert>
          )}
          <TextInput
            label="Name"
            description="2 to 64 characters, unique on this server."
            maxLength={64}
            data-autofocus
            value={name}
            onChange={(event) => {
              setName(event.currentTarget.value);
              setNameError(undefined);
            }}
            error={nameError}
          />
          <Textarea
            label="Description"
            description="Optional: what the group is for."
            maxLength={500}
            autosize
            minRows={2}
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
          />
          <GroupRoleField value={role} onChange={setRole} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              Create group
            </Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
