import { Group, Text } from '@mantine/core';
import { formatDateTime } from '../../components/date-time';
import { IconAlert } from '../../components/icons';
import { expirySentence, expiryState } from './expiry-state';

/**
 * The token's expiry in words, in the warning colour within 14 days of it and in red once it passed, with an icon so
 * that colour is never the only sign.
 */
export function TokenExpiry({ expiresAt, size = 'sm' }: { expiresAt: string | null; size?: 'xs' | 'sm' }) {
  const now = Date.now();
  const state = expiryState(expiresAt, now);
  const flagged = state === 'soon' || state === 'expired';
  // Darker than the theme's orange and red, so that small text keeps AA contrast on white and on a hovered row.
  const color = state === 'expired' ? '#a51d1d' : state === 'soon' ? '#8f3a00' : 'dimmed';
  return (
    <Group gap={4} wrap="nowrap" data-token-expiry={state}>
      {flagged && <IconAlert size={14} color={color} />}
      <Text fz={size} c={color} fw={flagged ? 600 : undefined} title={expiresAt === null ? undefined : formatDateTime(expiresAt)}>
        {expirySentence(expiresAt, now)}
      </Text>
    </Group>
  );
}
