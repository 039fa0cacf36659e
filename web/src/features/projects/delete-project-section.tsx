import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { isApiError } from '../../api/client';
import { deleteProject, type Project } from '../../api/projects';
import { Dialog } from '../../components/dialog';
import { IconAlert } from '../../components/icons';
import { projectKeys } from './project-queries';

/** Delete project, behind a confirmation that names what goes with it. */
export function DeleteProjectSection({ project }: { project: Project }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => deleteProject(project.id),
    onSuccess: async () => {
      setConfirming(false);
      queryClient.removeQueries({ queryKey: projectKeys.detail(project.id) });
      void queryClient.invalidateQueries({ queryKey: projectKeys.lists() });
      await navigate('/projects');
    },
  });

  return (
    <Paper withBorder p={{ base: 'md', sm: 'lg' }} component="section" aria-labelledby="delete-heading" style={{ borderColor: '#f1aeb5' }}>
      <Stack gap="sm" align="flex-start">
        <Title order={2} fz="lg" id="delete-heading">
          Delete project
        </Title>
        <Text>Deleting the project removes it and every access grant on it. This cannot be undone.</Text>
        <Button color="red" onClick={() => setConfirming(true)}>
          Delete project
        </Button>
      </Stack>
      <Dialog opened={confirming} onClose={() => setConfirming(false)} title={`Delete ${project.name}?`}>
        <Stack gap="md">
          <Text>
            <strong>{project.name}</strong> and every access grant on it will be deleted. People lose the access they had through it.
          </Text>
          {remove.isError && (
            <Alert color="red" variant="light" icon={<IconAlert />}>
              {isApiError(remove.error) ? remove.error.detail : 'Something went wrong. Please try again.'}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirming(false)} data-autofocus>
              Cancel
            </Button>
            <Button color="red" onClick={() => remove.mutate()} loading={remove.isPending}>
              Delete project
            </Button>
          </Group>
        </Stack>
      </Dialog>
    </Paper>
  );
}
