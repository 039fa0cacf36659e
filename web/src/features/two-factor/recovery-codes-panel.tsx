import { Alert, Button, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useClipboard } from '@mantine/hooks';
import { useEffect } from 'react';
import { IconAlert, IconCheck, IconCopy, IconDownload } from '../../components/icons';
import { useKeepAllSecrets, useOneTimeSecret, useRequestClose } from '../../components/one-time-secret';

/** Saves the codes as a text file, without the codes ever leaving the browser. */
function downloadCodes(codes: readonly string[], host: string): void {
  const text = `Roster recovery codes for ${host}\nEach code works once. Keep them somewhere safe.\n\n${codes.join('\n')}\n`;
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `roster-recovery-codes-${host.replaceAll(/[^A-Za-z0-9.-]/g, '_')}.txt`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The ten recovery codes, shown once (docs/product/console.md#one-time-secrets): copy and download; closing asks first
 * until they were kept.
 */
export function RecoveryCodesPanel({ codes, onDone }: { codes: readonly string[]; onDone: () => void }) {
  const kept = useOneTimeSecret('recovery codes');
  const keepAll = useKeepAllSecrets();
  const done = useRequestClose(onDone);
  const clipboard = useClipboard({ timeout: 2000 });
  useEffect(() => {
    if (clipboard.copied) kept();
  }, [clipboard.copied, kept]);
  const host = window.location.host;
  return (
    <Stack gap="md">
      <Alert color="orange" variant="light" icon={<IconAlert />} title="Save your recovery codes now">
        If you lose your authenticator app or security key, a recovery code gets you in. Each code works once. They will not be shown again.
      </Alert>
      <SimpleGrid
        cols={2}
        spacing="xs"
        component="ol"
        aria-label="Recovery codes"
        p="sm"
        m={0}
        style={{ listStyle: 'none', background: 'var(--mantine-color-gray-0)', borderRadius: 'var(--mantine-radius-md)' }}
        onCopy={kept}
      >
        {codes.map((code) => (
          <Text key={code} component="li" ff="monospace" fz="md" ta="center">
            {code}
          </Text>
        ))}
      </SimpleGrid>
      <Group gap="sm">
        <Button
          variant={clipboard.copied ? 'light' : 'default'}
          color={clipboard.copied ? 'green' : undefined}
          leftSection={clipboard.copied ? <IconCheck size={16} /> : <IconCopy />}
          onClick={() => clipboard.copy(codes.join('\n'))}
        >
          {clipboard.copied ? 'Copied' : 'Copy codes'}
        </Button>
        <Button
          variant="default"
          leftSection={<IconDownload />}
          onClick={() => {
            downloadCodes(codes, host);
            keepAll();
          }}
        >
          Download
        </Button>
      </Group>
      <Group justify="flex-end">
        <Button onClick={done}>Done</Button>
      </Group>
    </Stack>
  );
}
