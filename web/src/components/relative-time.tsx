import { Text, type TextProps } from '@mantine/core';

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 hours ago", "just now": a time relative to `now`. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

/** An absolute date and time in the reader's locale. */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A `<time>` shown relative ("2 days ago") with the exact moment as its tooltip; `empty` when there is none. */
export function RelativeTime({ value, empty = 'Never', ...props }: { value: string | null; empty?: string } & TextProps) {
  if (value === null) {
    return (
      <Text span c="dimmed" {...props}>
        {empty}
      </Text>
    );
  }
  return (
    <Text span {...props}>
      <time dateTime={value} title={formatDateTime(value)}>
        {formatRelative(value)}
      </time>
    </Text>
  );
}
