import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { type Application, removeApplication } from '../../api/applications';
import { errorDetail } from '../../api/problem-fields';
import { Dialog } from '../../components/dialog';
import { IconAlert } from '../../components/icons';
import { applicationsQueryKey } from './applications-queries';

/** Remove an application (docs/product/console.md#applications): asks first, then leads back to the list. */
export function RemoveApplicationDialog({
  application,
  opened,
  onClose,
}: {
  application: Application;
  opened: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => removeApplication(application.id),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: [...applicationsQueryKey, 'detail', application.id] });
      await queryClient.invalidateQueries({ queryKey: applicationsQueryKey });
      notifications.show({
        color: 'green',
        title: `${application.name} was removed`,
        message: 'Everyone signed in to it through Roster was signed out. The audit log keeps its history.',
      });
      void navigate('/settings/applications');
    },
  });
  return (
    <Dialog opened={opened} onClose={onClose} title={`Remove ${application.name}?`} size="lg">
      <Stack gap="md">
        <Text>
          Every person signed in to <strong>{application.name}</strong> through Roster is signed out; its tokens stop working at once, and
          its client ID and secret are refused. This cannot be undone: to use it again, register it again.
        </Text>
        {remove.isError && (
          <Alert color="red" variant="light" icon={<IconAlert />} title={`Could not remove ${application.name}`}>
            {errorDetail(remove.error)}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={remove.isPending}>
            Cancel
          </Button>
          <Button color="red" onClick={() => remove.mutate()} loading={remove.isPending}>
            Remove {application.name}
          </Button>
        </Group>
      </Stack>
    </Dialog>
  );
}
