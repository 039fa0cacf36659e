import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useClipboard } from '@mantine/hooks';
import { useEffect } from 'react';
import { IconAlert, IconCheck } from '../../components/icons';
import { useOneTimeSecret, useRequestClose } from '../../components/one-time-secret';

/** The freshly created token, shown once with a copy button, and how to use it with the CLI. */
export function NewTokenPanel({ token, onDone }: { token: string; onDone: () => void }) {
  const origin = window.location.origin;
  // Closing asks first until the token was copied (docs/product/console.md#one-time-secrets).
  const kept = useOneTimeSecret('new API token');
  const done = useRequestClose(onDone);
  const clipboard = useClipboard({ timeout: 2000 });
  useEffect(() => {
    if (clipboard.copied) kept();
  }, [clipboard.copied, kept]);
  return (
    <Stack gap="md">
      <Alert color="orange" variant="light" icon={<IconAlert />} title="Copy it now">
        This token will not be shown again. Store it somewhere safe, such as your password manager. If you lose it, reset it again.
      </Alert>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput
          label="Your new API token"
          value={token}
          readOnly
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          style={{ flex: 1, minWidth: 0 }}
          onFocus={(event) => event.currentTarget.select()}
          onCopy={kept}
          data-autofocus
        />
        <Button
          onClick={() => clipboard.copy(token)}
          variant={clipboard.copied ? 'light' : 'filled'}
          color={clipboard.copied ? 'green' : undefined}
          leftSection={clipboard.copied ? <IconCheck size={16} /> : undefined}
        >
          {clipboard.copied ? 'Copied' : 'Copy token'}
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        Use it as <code>Authorization: Bearer &lt;token&gt;</code> with the REST API, or connect the command-line tool with{' '}
        <code>roster connect {origin}</code> and paste it when asked.
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={done}>
          Done
        </Button>
      </Group>
    </Stack>
  );
}
