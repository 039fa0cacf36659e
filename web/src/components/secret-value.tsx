import { ActionIcon, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from './icons';

interface SecretValueProps {
  /** What the value is, for the copy button's accessible name: "Copy temporary password for alice". */
  label: string;
  value: string;
}

/** A one-time secret (temporary password, token) in a monospace box with a copy button, as Semaphore shows it. */
export function SecretValue({ label, value }: SecretValueProps) {
  return (
    <Group gap="xs" wrap="nowrap" bg="#fff8db" px="sm" py={6} style={{ borderRadius: 6 }}>
      <Text ff="monospace" fz="sm" fw={600} style={{ overflowWrap: 'anywhere', flex: 1 }} data-secret="">
        {value}
      </Text>
      <CopyButton value={value} timeout={2000}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow position="left">
            <ActionIcon variant="subtle" color={copied ? 'green' : 'gray'} onClick={copy} aria-label={`Copy ${label}`}>
              {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}
