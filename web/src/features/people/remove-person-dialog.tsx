import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isApiError } from '../../api/client';
import { removePerson } from '../../api/people';
import { Dialog } from '../../components/dialog';
import { ErrorState } from '../../components/error-state';
import { IconAlert } from '../../components/icons';
import { PageLoader } from '../../components/page-loader';
import { peopleKeys, personOptions } from './people-queries';
import { ProjectsToTransferList, useProjectsToTransfer } from './projects-to-transfer';

interface RemovePersonDialogProps {
  person: { id: string; username: string } | null;
  onClose: () => void;
  onRemoved?: () => void;
}

/** Remove (docs/product/console.md#people, R4, R5): a confirmation that first offers to transfer every project the person owns. */
export function RemovePersonDialog({ person, onClose, onRemoved }: RemovePersonDialogProps) {
  return (
    <Dialog opened={person !== null} onClose={onClose} title={person ? `Remove ${person.username}?` : 'Remove'} size="lg">
      {person && <RemoveContent person={person} onClose={onClose} onRemoved={onRemoved} />}
    </Dialog>
  );
}

function RemoveContent({
  person,
  onClose,
  onRemoved,
}: { person: { id: string; username: string } } & Omit<RemovePersonDialogProps, 'person'>) {
  const queryClient = useQueryClient();
  const detail = useQuery({ ...personOptions(person.id), staleTime: 0 });
  // Projects still to transfer: known up front from the details, and refreshed by a 409 if one appeared since.
  const projects = useProjectsToTransfer(detail.data?.ownedProjects);

  const remove = useMutation({
    mutationFn: () => removePerson(person.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: peopleKeys.all });
      notifications.show({
        color: 'green',
        title: `${person.username} was removed`,
        message: 'Their sessions ended and their access is gone. The audit log keeps what they did.',
      });
      onRemoved?.();
      onClose();
    },
    onError: projects.refreshFrom,
  });

  if (detail.isError) return <ErrorState title="Could not load this person" error={detail.error} onRetry={() => void detail.refetch()} />;
  if (detail.isPending) return <PageLoader label="Loading…" />;

  const blockedByProjects = projects.remaining.length > 0;
  const otherError = remove.isError && !isApiError(remove.error, { code: 'user_owns_projects' });

  return (
    <Stack gap="md">
      <Text>
        <strong>{person.username}</strong> will no longer be able to log in. Their sessions end, their API token stops working, and they
        lose every project role and group membership. Their username and email address become free again; the audit log keeps what they did.
      </Text>
      <ProjectsToTransferList owner={{ id: person.id, name: person.username }} action="remove" projects={projects} />
      {otherError && (
        <Alert color="red" variant="light" icon={<IconAlert />} title={`Could not remove ${person.username}`}>
          {isApiError(remove.error) ? remove.error.detail : 'Something went wrong. Please try again.'}
        </Alert>
      )}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color="red" onClick={() => remove.mutate()} loading={remove.isPending} disabled={blockedByProjects}>
          Remove {person.username}
        </Button>
      </Group>
    </Stack>
  );
}
