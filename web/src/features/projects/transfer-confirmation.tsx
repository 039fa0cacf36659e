import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef } from 'react';
import { isApiError } from '../../api/client';
import { transferProject } from '../../api/projects';
import { IconAlert } from '../../components/icons';
import { projectKeys } from './project-queries';

interface TransferConfirmationProps {
  project: { id: string; name: string };
  ownerUsername: string;
  to: { id: string; username: string };
  onCancel: () => void;
  onTransferred: (to: { id: string; username: string }) => void;
}

/**
 * "Transfer <project> to <user>?": ownership changes only after this second step, as GitLab asks too; success is
 * announced with a notification (docs/product/console.md#projects). Shown in place of the Transfer button, so that it
 * also works inside the Remove dialog.
 */
export function TransferConfirmation({ project, ownerUsername, to, onCancel, onTransferred }: TransferConfirmationProps) {
  const queryClient = useQueryClient();
  const headingId = useId();
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => confirm.current?.focus(), []);
  const mutation = useMutation({
    mutationFn: () => transferProject(project.id, to.id),
    onSuccess: () => {
      // The caller may have given away their only access: read projects and access lists again.
      void queryClient.invalidateQueries({ queryKey: projectKeys.all });
      notifications.show({ color: 'green', title: 'Project transferred', message: `${project.name} now belongs to ${to.username}.` });
      onTransferred(to);
    },
  });
  return (
    <Paper withBorder p="sm" bg="#fffaf0" role="group" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Text fw={700} id={headingId}>
          Transfer {project.name} to {to.username}?
        </Text>
        <Text fz="sm">
          {to.username} becomes the owner and a project Admin. {ownerUsername} keeps only the access they had otherwise.
        </Text>
        {mutation.isError && (
          <Alert color="red" variant="light" icon={<IconAlert />} p="xs">
            {isApiError(mutation.error) ? mutation.error.detail : 'The project could not be transferred.'}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" size="sm" onClick={onCancel} disabled={mutation.isPending}>
            Cancel
          </Button>
          <Button ref={confirm} size="sm" onClick={() => mutation.mutate()} loading={mutation.isPending}>
            Transfer to {to.username}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
