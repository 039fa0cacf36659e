import { Alert, Button, CopyButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconAlert, IconCheck } from '../../components/icons';

/** The freshly reset token, shown once with a copy button, and how to use it with the CLI. */
export function NewTokenPanel({ token, onDone }: { token: string; onDone: () => void }) {
  const origin = window.location.origin;
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
          data-autofocus
        />
        <CopyButton value={token}>
          {({ copied, copy }) => (
            <Button
              onClick={copy}
              variant={copied ? 'light' : 'filled'}
              color={copied ? 'green' : undefined}
              leftSection={copied ? <IconCheck size={16} /> : undefined}
            >
              {copied ? 'Copied' : 'Copy token'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="sm" c="dimmed">
        Use it as <code>Authorization: Bearer &lt;token&gt;</code> with the REST API, or connect the command-line tool with{' '}
        <code>roster connect {origin}</code> and paste it when asked.
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Done
        </Button>
      </Group>
    </Stack>
  );
}
