const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const precise = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
];

/** "2 minutes ago", "yesterday"; past a month, the date itself. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  let amount = Math.round((at - now) / 1000);
  if (Math.abs(amount) < 10) return 'just now';
  for (const [unit, size] of steps) {
    if (Math.abs(amount) < size) return relative.format(amount, unit);
    amount = Math.round(amount / size);
  }
  return absolute.format(at);
}

export function formatDateTime(iso: string, withSeconds = false): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  return (withSeconds ? precise : absolute).format(at);
}

/**
 * A point in time as a <time> element: relative ("5 minutes ago") or absolute, with the exact local time in its
 * tooltip. `null` shows `fallback` (e.g. "Never").
 */
export function DateTime({
  value,
  mode = 'relative',
  fallback = 'Never',
}: {
  value: string | null;
  mode?: 'relative' | 'absolute' | 'precise';
  fallback?: string;
}) {
  if (value === null) return <span>{fallback}</span>;
  const text = mode === 'relative' ? formatRelative(value) : formatDateTime(value, mode === 'precise');
  return (
    <time dateTime={value} title={formatDateTime(value, true)}>
      {text}
    </time>
  );
}
