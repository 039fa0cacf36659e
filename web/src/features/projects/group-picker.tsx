import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type GroupView, listGroups } from '../../api/groups';

/** Picks a group by typing part of its name; the server does the matching. */
export function GroupPicker({ value, onChange }: { value: GroupView | null; onChange: (group: GroupView | null) => void }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const term = value !== null && debounced === value.name ? '' : debounced;
  const results = useQuery({
    queryKey: ['groups', 'search', term],
    queryFn: ({ signal }) => listGroups({ query: term, limit: 20 }, signal),
    placeholderData: keepPreviousData,
  });
  const groups = results.data?.items ?? [];
  const options = value !== null && !groups.some((group) => group.id === value.id) ? [value, ...groups] : groups;

  return (
    <Select
      label="Group"
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
      comboboxProps={{ withinPortal: true }}
    />
  );
}
