import { Alert, Button, Group, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type GroupDetail, type GroupRole, type UpdateGroupBody, updateGroup } from '../../api/group-management';
import { errorDetail, fieldError } from '../../api/problem-fields';
import { IconAlert } from '../../components/icons';
import { SettingsSection } from '../../components/settings-section';
import { SuccessMessage } from '../../components/status-message';
import { GroupRoleField } from './group-role';
import { refreshGroups } from './groups-queries';

/** Name, description and instance role of a group, editable by whoever may manage groups. */
export function GroupDetailsForm({ group }: { group: GroupDetail }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(group.name);
  const [description, setDescription] = useState(group.description);
  const [role, setRole] = useState<GroupRole>(group.role);
  const [nameError, setNameError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const changes: UpdateGroupBody = {};
  if (name.trim() !== group.name) changes.name = name.trim();
  if (description.trim() !== group.description) changes.description = description.trim();
  if (role !== group.role) changes.role = role;
  const changed = Object.keys(changes).length > 0;

  const mutation = useMutation({
    mutationFn: (body: UpdateGroupBody) => updateGroup(group.id, body),
    onSuccess: async (updated) => {
      setName(updated.name);
      setDescription(updated.description);
      setRole(updated.role);
      setSaved('Group saved.');
      await refreshGroups(queryClient);
    },
    onError: (error) => {
      const forName = fieldError(error, 'name', ['name_taken']);
      if (forName !== undefined) setNameError(forName);
      else setFormError(errorDetail(error));
    },
  });

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    setSaved(null);
    setFormError(null);
    if (name.trim().length < 2) {
      setNameError('Use 2 to 64 characters.');
      return;
    }
    setNameError(undefined);
    mutation.mutate(changes);
  }

  return (
    <SettingsSection title="Group settings" description="A role change applies to every member at once, from their next request.">
      <form onSubmit={submit} noValidate aria-label="Group settings">
        <Stack gap="md" maw={560}>
          {formError !== null && (
            <Alert color="red" variant="light" icon={<IconAlert />} title="Could not save the group">
              {formError}
            </Alert>
          )}
          <TextInput
            label="Name"
            maxLength={64}
            value={name}
            onChange={(event) => {
              setName(event.currentTarget.value);
              setNameError(undefined);
            }}
            error={nameError}
          />
          <Textarea
            label="Description"
            maxLength={500}
            autosize
            minRows={2}
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
          />
          <GroupRoleField value={role} onChange={setRole} />
          <Group>
            <Button type="submit" loading={mutation.isPending} disabled={!changed}>
              Save changes
            </Button>
          </Group>
          <SuccessMessage message={saved} />
        </Stack>
      </form>
    </SettingsSection>
  );
}
