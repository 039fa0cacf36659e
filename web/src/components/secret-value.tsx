import { ActionIcon, Group, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useClipboard } from '@mantine/hooks';
import { useEffect } from 'react';
import { IconCheck, IconCopy } from './icons';
import { useOneTimeSecret } from './one-time-secret';

interface SecretValueProps {
  /** What the value is, for the copy button's accessible name: "Copy temporary password for alice". */
  label: string;
  value: string;
}

/**
 * A one-time secret (temporary password, token) in a monospace box with a copy button, as Semaphore shows it. It
 * registers with the surrounding guard, so that closing the view asks first until it was copied
 * (docs/product/console.md#one-time-secrets).
 */
export function SecretValue({ label, value }: SecretValueProps) {
  const kept = useOneTimeSecret(label);
  const clipboard = useClipboard({ timeout: 2000 });
  // Only a copy that worked keeps the secret; a refused clipboard leaves the question in place.
  useEffect(() => {
    if (clipboard.copied) kept();
  }, [clipboard.copied, kept]);
  return (
    <Group gap="xs" wrap="nowrap" bg="#fff8db" px="sm" py={6} style={{ borderRadius: 6 }}>
      <Text ff="monospace" fz="sm" fw={600} style={{ overflowWrap: 'anywhere', flex: 1 }} data-secret="" onCopy={kept}>
        {value}
      </Text>
      <Tooltip label={clipboard.copied ? 'Copied' : 'Copy'} withArrow position="left">
        <ActionIcon
          variant="subtle"
          color={clipboard.copied ? 'green' : 'gray'}
          onClick={() => clipboard.copy(value)}
          aria-label={`Copy ${label}`}
        >
          {clipboard.copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
        </ActionIcon>
      </Tooltip>
      {/* Screen readers hear that the copy worked; the copy is asynchronous (the Clipboard API), so this is also when the
          secret counts as kept. */}
      <VisuallyHidden role="status">{clipboard.copied ? `Copied ${label}` : ''}</VisuallyHidden>
    </Group>
  );
}
