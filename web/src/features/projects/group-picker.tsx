import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { listGroups } from '../../api/groups';

/** A picked group: what the pickers and the forms that use them need. */
export interface PickedGroup {
  id: string;
  name: string;
}

interface GroupPickerProps {
  value: PickedGroup | null;
  onChange: (group: PickedGroup | null) => void;
  /** The field's label; "Group" unless told. */
  label?: string;
  error?: string | undefined;
}

/** Picks a group by typing part of its name; the server does the matching. */
export function GroupPicker({ value, onChange, label = 'Group', error }: GroupPickerProps) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const term = value !== null && debounced === value.name ? '' : debounced;
  const results = useQuery({
    queryKey: ['groups', 'search', term],
    queryFn: ({ signal }) => listGroups({ query: term, limit: 20 }, signal),
    placeholderData: keepPreviousData,
  });
  const groups: PickedGroup[] = (results.data?.items ?? []).map((group) => ({ id: group.id, name: group.name }));
  const options = value !== null && !groups.some((group) => group.id === value.id) ? [value, ...groups] : groups;

  return (
    <Select
      label={label}
      placeholder="Search groups"
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      data={options.map((group) => ({ value: group.id, label: group.name }))}
      value={value?.id ?? null}
      onChange={(id) => onChange(options.find((group) => group.id === id) ?? null)}
      nothingFoundMessage={results.isFetching ? 'Searching…' : results.isError ? 'Could not search groups' : 'No group matches'}
      error={error}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
