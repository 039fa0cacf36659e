import { Alert, Button, Group, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { isApiError } from '../../api/client';
import { createProject } from '../../api/projects';
import { Dialog } from '../../components/dialog';
import { IconAlert } from '../../components/icons';
import { projectKeys } from './project-queries';

/** New project (docs/product/console.md#projects): name and description; the creator becomes the owner, then lands on the project. */
export function NewProjectDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Dialog opened={opened} onClose={onClose} title="New project">
      <NewProjectForm onClose={onClose} />
    </Dialog>
  );
}

function NewProjectForm({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => createProject({ name: name.trim(), description: description.trim() }),
    onSuccess: async (project) => {
      queryClient.setQueryData(projectKeys.detail(project.id), project);
      void queryClient.invalidateQueries({ queryKey: projectKeys.lists() });
      onClose();
      await navigate(`/projects/${project.id}`);
    },
    onError: (error) => {
      if (isApiError(error, { code: 'name_taken' })) setNameError(error.detail);
    },
  });

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (name.trim() === '') {
      setNameError('Give the project a name.');
      return;
    }
    setNameError(null);
    create.mutate();
  }

  return (
    <form onSubmit={submit} noValidate aria-label="New project">
      <Stack gap="md">
        <TextInput
          label="Name"
          required
          maxLength={100}
          value={name}
          onChange={(event) => {
            setName(event.currentTarget.value);
            setNameError(null);
          }}
          error={nameError}
          data-autofocus
        />
        <Textarea
          label="Description"
          description="Optional: what the project is for."
          autosize
          minRows={2}
          maxLength={2000}
          value={description}
          onChange={(event) => setDescription(event.currentTarget.value)}
        />
        {create.isError && !isApiError(create.error, { code: 'name_taken' }) && (
          <Alert color="red" variant="light" icon={<IconAlert />} title="Could not create the project">
            {isApiError(create.error) ? create.error.detail : 'Something went wrong. Please try again.'}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create project
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
