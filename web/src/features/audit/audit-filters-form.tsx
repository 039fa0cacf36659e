import { Autocomplete, Button, Group, NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { type AuditFilters, noAuditFilters } from '../../api/audit';
import { fromLocalInput, toLocalInput } from './audit-search-params';

/** Suggestions for the Action field: a prefix per area, then the actions of docs/product/audit-log.md#actions. */
const actionSuggestions = [
  'user.*',
  'group.*',
  'project.*',
  'auth.*',
  'token.*',
  'session.*',
  'user.created',
  'user.role_changed',
  'user.password_reset',
  'user.password_changed',
  'user.removed',
  'user.email_changed',
  'user.username_changed',
  'token.reset',
  'session.revoked',
  'auth.login_failed',
  'auth.locked',
  'project.owner_changed',
  'project.access_changed',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.member_added',
  'group.member_removed',
];

interface AuditFiltersFormProps {
  filters: AuditFilters;
  onApply: (filters: AuditFilters) => void;
}

/** Actor, action (exact or `prefix*`), target, outcome and time range; applied on submit, cleared with Reset. */
export function AuditFiltersForm({ filters, onApply }: AuditFiltersFormProps) {
  const [draft, setDraft] = useState(() => ({ ...filters, since: toLocalInput(filters.since), until: toLocalInput(filters.until) }));
  const set = (name: keyof AuditFilters) => (value: string) => setDraft((current) => ({ ...current, [name]: value }));

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    onApply({ ...draft, since: fromLocalInput(draft.since), until: fromLocalInput(draft.until) });
  }

  function reset(): void {
    setDraft(noAuditFilters);
    onApply(noAuditFilters);
  }

  // On a phone the filters fold behind one button, so that the events are on the first screen (issue 17 item 6).
  const phone = useMediaQuery('(max-width: 48em)');
  const [shown, setShown] = useState(false);
  const active = Object.values(filters).filter((value) => value !== '' && value !== undefined).length;
  const folded = phone === true && !shown;

  return (
    <form onSubmit={submit} aria-label="Filter the audit log">
      {phone === true && (
        <Button
          variant="default"
          onClick={() => setShown((open) => !open)}
          aria-expanded={shown}
          aria-controls="audit-filter-fields"
          mb={shown ? 'sm' : 0}
        >
          {shown ? 'Hide filters' : active > 0 ? `Filters (${active} active)` : 'Filters'}
        </Button>
      )}
      <div id="audit-filter-fields" hidden={folded}>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm" verticalSpacing="sm">
          <TextInput
            label="Actor"
            description="Username at the time, user id, cli or system"
            value={draft.actor}
            onChange={(event) => set('actor')(event.currentTarget.value)}
          />
          <Autocomplete
            label="Action"
            description="Words or a prefix: password, role changed, group.*"
            data={actionSuggestions}
            value={draft.action}
            onChange={set('action')}
            limit={30}
            maxDropdownHeight={260}
          />
          <TextInput
            label="Target"
            description="Name or id of what was acted on"
            value={draft.target}
            onChange={(event) => set('target')(event.currentTarget.value)}
          />
          <NativeSelect
            label="Outcome"
            description="Changes succeed; refusals are recorded too"
            value={draft.outcome}
            onChange={(event) => set('outcome')(event.currentTarget.value)}
            data={[
              { value: '', label: 'Any outcome' },
              { value: 'success', label: 'Success' },
              { value: 'failure', label: 'Failure' },
              { value: 'denied', label: 'Denied' },
            ]}
          />
          <TextInput
            type="datetime-local"
            label="From"
            description="Events at or after this time (your time zone)"
            value={draft.since}
            onChange={(event) => set('since')(event.currentTarget.value)}
          />
          <TextInput
            type="datetime-local"
            label="Until"
            description="Events before this time"
            value={draft.until}
            onChange={(event) => set('until')(event.currentTarget.value)}
          />
        </SimpleGrid>
        <Group mt="md" gap="sm">
          <Button type="submit">Apply filters</Button>
          <Button variant="default" onClick={reset}>
            Reset
          </Button>
        </Group>
      </div>
    </form>
  );
}
