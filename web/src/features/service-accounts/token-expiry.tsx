import { Group, Text } from '@mantine/core';
import { formatDateTime } from '../../components/date-time';
import { IconAlert } from '../../components/icons';

/** A token is flagged this many days before it expires (docs/product/console.md#service-accounts). */
export const expiryWarningDays = 14;

const day = 24 * 60 * 60 * 1000;

export type ExpiryState = 'never' | 'valid' | 'soon' | 'expired';

/** Where a token stands: never expires, valid, within the warning window, or expired. */
export function expiryState(expiresAt: string | null, now: number = Date.now()): ExpiryState {
  if (expiresAt === null) return 'never';
  const left = Date.parse(expiresAt) - now;
  if (left <= 0) return 'expired';
  return left <= expiryWarningDays * day ? 'soon' : 'valid';
}

function expirySentence(expiresAt: string | null, now: number): string {
  const state = expiryState(expiresAt, now);
  if (expiresAt === null) return 'Token never expires';
  const date = new Date(expiresAt).toLocaleDateString(undefined, { dateStyle: 'medium' });
  if (state === 'expired') return `Token expired on ${date}`;
  if (state === 'soon') {
    const days = Math.ceil((Date.parse(expiresAt) - now) / day);
    return days <= 1 ? 'Token expires within a day' : `Token expires in ${days} days`;
  }
  return `Token expires on ${date}`;
}

/**
 * The token's expiry in words, in the warning colour within 14 days of it and in red once it passed, with an icon so
 * that colour is never the only sign.
 */
export function TokenExpiry({ expiresAt, size = 'sm' }: { expiresAt: string | null; size?: 'xs' | 'sm' }) {
  const now = Date.now();
  const state = expiryState(expiresAt, now);
  const flagged = state === 'soon' || state === 'expired';
  const color = state === 'expired' ? 'red.9' : state === 'soon' ? 'orange.9' : 'dimmed';
  return (
    <Group gap={4} wrap="nowrap" data-token-expiry={state}>
      {flagged && <IconAlert size={14} color={`var(--mantine-color-${state === 'expired' ? 'red' : 'orange'}-9)`} />}
      <Text fz={size} c={color} fw={flagged ? 600 : undefined} title={expiresAt === null ? undefined : formatDateTime(expiresAt)}>
        {expirySentence(expiresAt, now)}
      </Text>
    </Group>
  );
}
