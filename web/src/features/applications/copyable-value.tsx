import { ActionIcon, Group, Text, Tooltip } from '@mantine/core';
import { useClipboard } from '@mantine/hooks';
import { IconCheck, IconCopy } from '../../components/icons';

/** A value an administrator pastes into the application's configuration (client id, issuer), with a copy button. */
export function CopyableValue({ label, value }: { label: string; value: string }) {
  const clipboard = useClipboard({ timeout: 2000 });
  return (
    <Group gap={4} wrap="nowrap" component="span" style={{ display: 'inline-flex', maxWidth: '100%' }}>
      <Text span ff="monospace" fz="sm" style={{ overflowWrap: 'anywhere' }} data-copyable={label}>
        {value}
      </Text>
      <Tooltip label={clipboard.copied ? 'Copied' : 'Copy'} withArrow>
        <ActionIcon
          variant="subtle"
          color={clipboard.copied ? 'green' : 'gray'}
          size="sm"
          onClick={() => clipboard.copy(value)}
          aria-label={`Copy ${label}`}
        >
          {clipboard.copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
