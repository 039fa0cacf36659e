import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { type AuditFilters, type AuditOutcome, noAuditFilters } from '../../api/audit';

const outcomes: readonly string[] = ['success', 'failure', 'denied'];
const names = Object.keys(noAuditFilters) as (keyof AuditFilters)[];

/** The Audit log's filters live in the address (`/audit?action=group.*`), so that a filtered view can be bookmarked. */
export function useAuditFilters(): [AuditFilters, (filters: AuditFilters) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo<AuditFilters>(() => {
    const outcome = params.get('outcome') ?? '';
    return {
      actor: params.get('actor') ?? '',
      action: params.get('action') ?? '',
      target: params.get('target') ?? '',
      outcome: outcomes.includes(outcome) ? (outcome as AuditOutcome) : '',
      since: params.get('since') ?? '',
      until: params.get('until') ?? '',
    };
  }, [params]);
  const apply = useCallback(
    (next: AuditFilters) => {
      const search = new URLSearchParams();
      for (const name of names) if (next[name].trim() !== '') search.set(name, next[name].trim());
      setParams(search);
    },
    [setParams],
  );
  return [filters, apply];
}

/** ISO instant → the value of a `datetime-local` input, in the browser's time zone. */
export function toLocalInput(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** A `datetime-local` value (browser time zone) → ISO instant; empty stays empty. */
export function fromLocalInput(value: string): string {
  if (value === '') return '';
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? '' : at.toISOString();
}
