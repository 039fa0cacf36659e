import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type Application, rotateApplicationSecret } from '../../api/applications';
import { errorDetail } from '../../api/problem-fields';
import { Dialog } from '../../components/dialog';
import { IconAlert } from '../../components/icons';
import { useRequestClose } from '../../components/one-time-secret';
import { applicationsQueryKey } from './applications-queries';
import { ClientSecret } from './client-secret';

/**
 * Rotate secret (docs/product/console.md#applications): asks first, then shows the new secret once. The previous
 * secret keeps working for 24 hours, so the application can be given the new one without an outage.
 */
export function RotateSecretDialog({ application, opened, onClose }: { application: Application; opened: boolean; onClose: () => void }) {
  return (
    <Dialog opened={opened} onClose={onClose} title={`Rotate the client secret of ${application.name}?`} size="lg">
      {opened && <RotateContent application={application} onClose={onClose} />}
    </Dialog>
  );
}

function RotateContent({ application, onClose }: { application: Application; onClose: () => void }) {
  const queryClient = useQueryClient();
  const done = useRequestClose(onClose);
  const rotate = useMutation({
    mutationFn: () => rotateApplicationSecret(application.id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: applicationsQueryKey }),
  });

  if (rotate.data) {
    return (
      <Stack gap="md">
        <Text fw={600} role="status">
          New client secret made. The previous one keeps working for 24 hours: give the application the new one before then.
        </Text>
        <ClientSecret name={application.name} secret={rotate.data.clientSecret} />
        <Group justify="flex-end">
          <Button onClick={done}>Done</Button>
        </Group>
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      <Text>
        Roster makes a new client secret for <strong>{application.name}</strong> and shows it once. The current secret keeps working for 24
        hours, then stops.
      </Text>
      {rotate.isError && (
        <Alert color="red" variant="light" icon={<IconAlert />} title="Could not rotate the secret">
          {errorDetail(rotate.error)}
        </Alert>
      )}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose} disabled={rotate.isPending}>
          Cancel
        </Button>
        <Button color="red" onClick={() => rotate.mutate()} loading={rotate.isPending}>
          Rotate secret
        </Button>
      </Group>
    </Stack>
  );
}
