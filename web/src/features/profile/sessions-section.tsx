import { Alert, Badge, Button, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorDetail } from '../../api/problem-fields';
import { endOtherSessions, endOwnSession, type OwnSession } from '../../api/profile';
import { DateTime } from '../../components/date-time';
import { ErrorState } from '../../components/error-state';
import { IconAlert } from '../../components/icons';
import { SettingsSection } from '../../components/settings-section';
import { SuccessMessage } from '../../components/status-message';
import { describeUserAgent } from './describe-user-agent';
import { ownSessionsQueryKey, ownSessionsQueryOptions } from './sessions-query';

/**
 * Sessions (docs/product/console.md#profile-settings, docs/product/security-settings.md#sessions-and-browser-security):
 * where you are signed in; sign out one session or every other one.
 */
export function SessionsSection() {
  const queryClient = useQueryClient();
  const sessions = useQuery(ownSessionsQueryOptions);
  const [saved, setSaved] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: ownSessionsQueryKey });
  const endOne = useMutation({
    mutationFn: (session: OwnSession) => endOwnSession(session.id),
    onMutate: () => {
      setSaved(null);
      setFailure(null);
    },
    onSuccess: (_result, session) => setSaved(`Signed out ${describeUserAgent(session.userAgent)}.`),
    onError: (error) => setFailure(errorDetail(error)),
    onSettled: refresh,
  });
  const endOthers = useMutation({
    mutationFn: endOtherSessions,
    onMutate: () => {
      setSaved(null);
      setFailure(null);
    },
    onSuccess: ({ sessionsEnded }) =>
      setSaved(
        sessionsEnded === 0
          ? 'There were no other sessions.'
          : `Signed out ${sessionsEnded} other session${sessionsEnded === 1 ? '' : 's'}.`,
      ),
    onError: (error) => setFailure(errorDetail(error)),
    onSettled: refresh,
  });

  const others = sessions.data?.filter((session) => !session.current).length ?? 0;

  return (
    <SettingsSection
      id="sessions"
      title="Sessions"
      description="Browsers where you are signed in. Sign out any you do not recognise, then change your password."
    >
      {sessions.isPending ? (
        <Stack gap="xs" role="status" aria-label="Loading your sessions">
          <Skeleton height={64} />
          <Skeleton height={64} />
        </Stack>
      ) : sessions.isError ? (
        <ErrorState title="Could not load your sessions" error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : (
        <Stack gap="xs" component="ul" aria-label="Your sessions" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {sessions.data.map((session) => (
            <SessionRow
              key={session.id}
              session={session}
              ending={endOne.isPending && endOne.variables?.id === session.id}
              onEnd={() => endOne.mutate(session)}
            />
          ))}
        </Stack>
      )}
      {failure !== null && (
        <Alert color="red" variant="light" icon={<IconAlert />} title="Could not sign out">
          {failure}
        </Alert>
      )}
      <Group>
        <Button variant="default" color="red" onClick={() => endOthers.mutate()} loading={endOthers.isPending} disabled={others === 0}>
          Sign out everywhere else
        </Button>
      </Group>
      <SuccessMessage message={saved} />
    </SettingsSection>
  );
}

function SessionRow({ session, ending, onEnd }: { session: OwnSession; ending: boolean; onEnd: () => void }) {
  const device = describeUserAgent(session.userAgent);
  return (
    <Paper component="li" withBorder p="sm" bg={session.current ? 'gray.0' : undefined}>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Group gap="xs">
            <Text fw={600}>{device}</Text>
            {session.current && (
              <Badge color="navy" variant="light" radius="sm" tt="none">
                This device
              </Badge>
            )}
            {session.restricted && (
              <Badge color="orange" variant="light" radius="sm" tt="none">
                Must set a password
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {session.ip ?? 'Unknown IP'} · Signed in <DateTime value={session.createdAt} /> · Last seen{' '}
            <DateTime value={session.lastSeenAt} />
          </Text>
          {session.userAgent !== null && (
            <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {session.userAgent}
            </Text>
          )}
        </Stack>
        {!session.current && (
          <Button
            variant="default"
            size="xs"
            onClick={onEnd}
            loading={ending}
            aria-label={`Sign out ${device} at ${session.ip ?? 'unknown IP'}`}
          >
            Sign out
          </Button>
        )}
      </Group>
    </Paper>
  );
}
