import { Alert, Button, Group, Text } from '@mantine/core';
import { isApiError } from '../api/client';
import { IconAlert } from './icons';

interface ErrorStateProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}

/** An error shown where it happened, with the server's explanation and a way to try again. */
export function ErrorState({ error, title = 'Something went wrong', onRetry }: ErrorStateProps) {
  const detail = isApiError(error) ? error.detail : error instanceof Error ? error.message : 'An unexpected error occurred.';
  return (
    <Alert color="red" variant="light" title={title} icon={<IconAlert />} maw={640} mx="auto" my="xl">
      <Text size="sm" mb={onRetry ? 'md' : 0}>
        {detail}
      </Text>
      {onRetry && (
        <Group>
          <Button variant="default" size="xs" onClick={onRetry}>
            Try again
          </Button>
        </Group>
      )}
    </Alert>
  );
}
