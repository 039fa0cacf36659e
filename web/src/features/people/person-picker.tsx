import { Group, Select, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { lookupPeople } from '../../api/people';
import { ServiceAccountBadge } from '../service-accounts/service-account-badge';
import { isServiceAccount } from '../service-accounts/service-account-view';
import { peopleKeys } from './people-queries';
import { shortSearchHint } from './search-hint';

export interface PickedPerson {
  id: string;
  username: string;
  /** Null when the caller may not see email addresses (project Admins who are Members). */
  email: string | null;
  serviceAccount?: boolean;
}

interface PersonPickerProps {
  label: string;
  value: PickedPerson | null;
  onChange: (person: PickedPerson | null) => void;
  /** People who may not be picked (e.g. the person being removed). */
  excludeIds?: readonly string[];
  description?: string;
  error?: string | null;
  disabled?: boolean;
  placeholder?: string;
}

/**
 * Picks one active person or service account (marked with its badge) by typing part of a handle or an email. Each keystroke (debounced) asks the server for
 * the first matches, so the picker works the same with ten people or a million.
 */
export function PersonPicker({ label, value, onChange, excludeIds = [], description, error, disabled, placeholder }: PersonPickerProps) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const term = value !== null && debounced === value.username ? '' : debounced;
  const results = useQuery({
    queryKey: peopleKeys.search(term),
    queryFn: ({ signal }) => lookupPeople(term, signal),
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });

  const people = useMemo(() => {
    const found = (results.data?.items ?? []).filter((person) => !excludeIds.includes(person.id));
    const list: PickedPerson[] = found.map((person) => ({
      id: person.id,
      username: person.username,
      email: person.email,
      serviceAccount: isServiceAccount(person),
    }));
    if (value !== null && !list.some((person) => person.id === value.id)) list.unshift(value);
    return list;
  }, [results.data, excludeIds, value]);

  return (
    <Select
      label={label}
      description={description}
      error={error}
      disabled={disabled}
      placeholder={placeholder ?? 'Search by username or email'}
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      // The server already filtered; Mantine's own filter would hide matches on the email.
      filter={({ options }) => options}
      data={people.map((person) => ({ value: person.id, label: person.username }))}
      value={value?.id ?? null}
      onChange={(id) => onChange(people.find((person) => person.id === id) ?? null)}
      nothingFoundMessage={
        results.isFetching ? 'Searching…' : results.isError ? 'Could not search people' : (shortSearchHint(term) ?? 'Nobody matches')
      }
      renderOption={({ option }) => {
        const person = people.find((candidate) => candidate.id === option.value);
        return (
          <Group gap={6} wrap="nowrap">
            <Text fz="sm" fw={600}>
              {option.label}
            </Text>
            {person?.serviceAccount && <ServiceAccountBadge size="xs" />}
            {person?.email && (
              <Text fz="xs" c="dimmed" truncate>
                {person.email}
              </Text>
            )}
          </Group>
        );
      }}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
