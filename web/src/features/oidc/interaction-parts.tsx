import { Alert, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { errorDetail } from '../../api/problem-fields';
import { IconAlert } from '../../components/icons';
import type { InteractionAction } from './use-interaction-step';

// Pieces the states of an application's sign-in page share: the heading, the card, the "on our way" state, the error
// of an answer and **Cancel**.

/** The page's heading and the line under it, as on the login page. */
export function InteractionHeading({ title, description }: { title: ReactNode; description?: ReactNode }) {
  return (
    <Stack gap={4} ta="center">
      <Title order={1} fz={28} style={{ overflowWrap: 'anywhere', textWrap: 'balance' }}>
        {title}
      </Title>
      {description !== undefined && <Text c="dimmed">{description}</Text>}
    </Stack>
  );
}

/** The white card of the auth pages. */
export function InteractionCard({ children }: { children: ReactNode }) {
  return (
    <Paper withBorder shadow="xs" p={{ base: 'lg', sm: 'xl' }} radius="md" bg="white">
      {children}
    </Paper>
  );
}

/** The browser is on its way (a POST, then the provider's redirect): a spinner with an announced label. */
export function InteractionProgress({ label }: { label: string }) {
  return (
    <InteractionCard>
      <Stack align="center" gap="sm" py="md" role="status" aria-live="polite">
        <Loader size="md" aria-hidden="true" />
        <Text ta="center" style={{ overflowWrap: 'anywhere' }}>
          {label}
        </Text>
      </Stack>
    </InteractionCard>
  );
}

const errorTitles: Record<InteractionAction, string> = {
  login: 'Could not sign you in',
  consent: 'Could not allow access',
  abort: 'Could not cancel',
};

/** What went wrong with an answer, from the server's problem. */
export function InteractionStepError({ action, error }: { action: InteractionAction; error: unknown }) {
  return (
    <Alert color="red" variant="light" icon={<IconAlert />} title={errorTitles[action]}>
      {errorDetail(error)}
    </Alert>
  );
}

/** **Cancel**: back to the application, which learns that the person declined (`access_denied`). */
export function CancelSignIn({ onCancel, loading, disabled }: { onCancel: () => void; loading: boolean; disabled: boolean }) {
  return (
    <Group justify="center">
      <Button variant="subtle" onClick={onCancel} loading={loading} disabled={disabled}>
        Cancel
      </Button>
    </Group>
  );
}
