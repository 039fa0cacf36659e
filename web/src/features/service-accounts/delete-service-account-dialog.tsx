import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isApiError } from '../../api/client';
import { errorDetail } from '../../api/problem-fields';
import { deleteServiceAccount } from '../../api/service-accounts';
import { Dialog } from '../../components/dialog';
import { ErrorState } from '../../components/error-state';
import { IconAlert } from '../../components/icons';
import { PageLoader } from '../../components/page-loader';
import { peopleKeys } from '../people/people-queries';
import { ProjectsToTransferList, useProjectsToTransfer } from '../people/projects-to-transfer';
import type { ServiceAccountRef } from './edit-service-account-dialog';
import { serviceAccountOptions } from './service-account-view';

/**
 * Delete a service account (docs/product/console.md#service-accounts, R4, R5): like removing a person, every project it
 * owns gets a new owner first.
 */
export function DeleteServiceAccountDialog({ account, onClose }: { account: ServiceAccountRef | null; onClose: () => void }) {
  return (
    <Dialog opened={account !== null} onClose={onClose} title={account ? `Delete ${account.name}?` : 'Delete'} size="lg">
      {account && <DeleteContent account={account} onClose={onClose} />}
    </Dialog>
  );
}

function DeleteContent({ account, onClose }: { account: ServiceAccountRef; onClose: () => void }) {
  const queryClient = useQueryClient();
  const detail = useQuery({ ...serviceAccountOptions(account.id), staleTime: 0 });
  // Projects still to transfer: known up front from the details, and refreshed by a 409 if one appeared since.
  const projects = useProjectsToTransfer(detail.data?.ownedProjects);

  const remove = useMutation({
    mutationFn: () => deleteServiceAccount(account.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: peopleKeys.all });
      notifications.show({
        color: 'green',
        title: `${account.name} was deleted`,
        message: 'Its token stopped working and its access is gone. The audit log keeps what it did.',
      });
      onClose();
    },
    onError: projects.refreshFrom,
  });

  if (detail.isError)
    return <ErrorState title="Could not load this service account" error={detail.error} onRetry={() => void detail.refetch()} />;
  if (detail.isPending) return <PageLoader label="Loading…" />;

  const blockedByProjects = projects.remaining.length > 0;
  const otherError = remove.isError && !isApiError(remove.error, { code: 'user_owns_projects' });

  return (
    <Stack gap="md">
      <Text>
        The token of <strong>{account.name}</strong> stops working at once, and it loses every project role and group membership. Its name
        becomes free again; the audit log keeps what it did. This cannot be undone: to stop it for a while, deactivate it instead.
      </Text>
      <ProjectsToTransferList owner={account} action="delete" projects={projects} />
      {otherError && (
        <Alert color="red" variant="light" icon={<IconAlert />} title={`Could not delete ${account.name}`}>
          {errorDetail(remove.error)}
        </Alert>
      )}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color="red" onClick={() => remove.mutate()} loading={remove.isPending} disabled={blockedByProjects}>
          Delete {account.name}
        </Button>
      </Group>
    </Stack>
  );
}
