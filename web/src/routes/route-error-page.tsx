import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { isRouteErrorResponse, useRouteError } from 'react-router';

/** The last line of defence: a page that crashed while rendering. */
export function RouteErrorPage() {
  useDocumentTitle('Error · Roster');
  const error = useRouteError();
  const detail = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'An unexpected error occurred.';
  return (
    <Center mih="100dvh" p="md">
      <Stack align="center" ta="center" maw={520} gap="md" role="alert">
        <Title order={1}>Something went wrong</Title>
        <Text c="dimmed">The console hit an unexpected error. Reloading the page usually helps.</Text>
        <Text size="sm" ff="monospace" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {detail}
        </Text>
        <Button onClick={() => window.location.reload()}>Reload the page</Button>
        <Button component="a" href="/" variant="subtle">
          Go to the home page
        </Button>
      </Stack>
    </Center>
  );
}
