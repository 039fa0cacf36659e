import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { isApiError } from '../../api/client';
import { endPersonSessions, type PersonDetail, unlockPerson } from '../../api/people';
import { IconAlert } from '../../components/icons';
import { peopleKeys } from './people-queries';

/**
 * Unlock (after failed logins, docs/product/security-settings.md#login-throttling) and End all sessions, each shown
 * only when the server allows it.
 */
export function AccountActions({ person }: { person: PersonDetail }) {
  const queryClient = useQueryClient();
  const unlock = useMutation({
    mutationFn: () => unlockPerson(person.id),
    onSuccess: (updated) => queryClient.setQueryData(peopleKeys.detail(person.id), updated),
  });
  const endSessions = useMutation({ mutationFn: () => endPersonSessions(person.id) });
  if (!person.abilities.unlock && !person.abilities.endSessions) return null;
  const failure = unlock.error ?? endSessions.error;

  return (
    <Stack gap={6}>
      <Text fw={600} fz="sm">
        Sign-in
      </Text>
      <Text fz="sm" c="dimmed" role="status">
        {person.locked ? 'Login is locked after too many failed attempts.' : 'Login is not locked.'}
        {unlock.isSuccess ? ' Unlocked.' : ''}
        {endSessions.data
          ? ` Ended ${endSessions.data.sessionsEnded} ${endSessions.data.sessionsEnded === 1 ? 'session' : 'sessions'}.`
          : ''}
      </Text>
      <Group gap="sm">
        {person.abilities.unlock && (
          <Button variant="default" size="xs" onClick={() => unlock.mutate()} loading={unlock.isPending} disabled={!person.locked}>
            Unlock
          </Button>
        )}
        {person.abilities.endSessions && (
          <Button variant="default" size="xs" onClick={() => endSessions.mutate()} loading={endSessions.isPending}>
            End all sessions
          </Button>
        )}
      </Group>
      {failure && (
        <Alert color="red" variant="light" icon={<IconAlert />}>
          {isApiError(failure) ? failure.detail : 'Something went wrong. Please try again.'}
        </Alert>
      )}
    </Stack>
  );
}
