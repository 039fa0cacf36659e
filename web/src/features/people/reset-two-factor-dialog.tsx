import { Alert, Button, Group, List, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { resetPersonMfa } from '../../api/people';
import { errorDetail } from '../../api/problem-fields';
import { Dialog } from '../../components/dialog';
import { IconAlert } from '../../components/icons';
import { useRefreshPeople } from './people-queries';

interface ResetTwoFactorDialogProps {
  /** The person whose second factors go, or null when the dialog is closed. */
  person: { id: string; username: string } | null;
  onClose: () => void;
}

/**
 * Reset two-factor authentication (docs/product/console.md#people, R2): for someone who lost their phone, or to lock
 * out an intruder who registered a factor. The server removes every factor, ends their sessions and audits it.
 */
export function ResetTwoFactorDialog({ person, onClose }: ResetTwoFactorDialogProps) {
  return (
    <Dialog opened={person !== null} onClose={onClose} title="Reset two-factor authentication?">
      {person && <ResetTwoFactorConfirmation person={person} onClose={onClose} />}
    </Dialog>
  );
}

function ResetTwoFactorConfirmation({ person, onClose }: { person: { id: string; username: string }; onClose: () => void }) {
  const refreshPeople = useRefreshPeople();
  const reset = useMutation({
    mutationFn: () => resetPersonMfa(person.id),
    onSuccess: async ({ factorsRemoved, sessionsEnded }) => {
      await refreshPeople();
      notifications.show({
        color: 'green',
        title: 'Two-factor authentication reset',
        message: `Removed ${count(factorsRemoved, 'second factor')} of ${person.username} and ended ${count(sessionsEnded, 'session')}. They log in with their password alone until they set it up again.`,
      });
      onClose();
    },
  });

  return (
    <Stack gap="md">
      <Text>
        This removes every second factor of <strong>{person.username}</strong> and ends all their sessions at once:
      </Text>
      <List size="sm" spacing={4}>
        <List.Item>their authenticator app and recovery codes,</List.Item>
        <List.Item>every security key and passkey, including passkeys they sign in with.</List.Item>
      </List>
      <Text size="sm" c="dimmed">
        They can log in with their password alone and set up two-factor authentication again. If the security policy requires it of them, a
        new grace period starts now.
      </Text>
      {reset.isError && (
        <Alert color="red" variant="light" icon={<IconAlert />} title="Could not reset two-factor authentication">
          {errorDetail(reset.error)}
        </Alert>
      )}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose} disabled={reset.isPending}>
          Cancel
        </Button>
        <Button color="red" onClick={() => reset.mutate()} loading={reset.isPending}>
          Reset two-factor authentication
        </Button>
      </Group>
    </Stack>
  );
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
