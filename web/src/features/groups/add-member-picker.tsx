import { Alert, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { addGroupMember, type GroupDetail } from '../../api/group-management';
import { listPeople, type Person } from '../../api/people';
import { errorDetail } from '../../api/problem-fields';
import { IconAlert } from '../../components/icons';
import { SuccessMessage } from '../../components/status-message';
import { shortSearchHint } from '../people/search-hint';
import { ServiceAccountBadge } from '../service-accounts/service-account-badge';
import { isServiceAccount } from '../service-accounts/service-account-view';
import { refreshGroups } from './groups-queries';

/** Adds a person or a service account to the group: search by handle or email (`GET /people?query=&type=all`), pick one, add. */
export function AddMemberPicker({ group }: { group: GroupDetail }) {
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 200);
  const [selected, setSelected] = useState<Person | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const people = useQuery({
    queryKey: ['people', 'search', query, 'all'],
    // Service accounts can be members too (docs/product/console.md#service-accounts).
    queryFn: ({ signal }) => listPeople({ query, type: 'all', limit: 10 }, signal),
    enabled: query.length > 0,
    staleTime: 10_000,
  });
  const found = people.data?.items ?? [];
  const candidates = selected && !found.some((person) => person.id === selected.id) ? [selected, ...found] : found;
  // The People rows name each person's groups, so "already a member" needs no full member list.
  const isMember = (person: Person) => person.groups.some((g) => g.id === group.id);
  const describe = (person: Person) => (isServiceAccount(person) ? person.username : `${person.username} (${person.email})`);
  const options = candidates.map((person) => ({
    value: person.id,
    label: isMember(person) ? `${describe(person)} · already a member` : describe(person),
    disabled: isMember(person),
  }));

  const mutation = useMutation({
    mutationFn: (person: Person) => addGroupMember(group.id, person.id),
    onSuccess: async (_result, person) => {
      setSaved(`${person.username} added to ${group.name}.`);
      setSelected(null);
      setSearch('');
      await refreshGroups(queryClient);
    },
    onError: (error) => setFailure(errorDetail(error)),
  });

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    setSaved(null);
    setFailure(null);
    if (selected === null) {
      setFailure('Search for a person and pick them from the list first.');
      return;
    }
    mutation.mutate(selected);
  }

  const nothingFound =
    query === '' ? 'Type a username or an email' : people.isFetching ? 'Searching…' : (shortSearchHint(query) ?? 'Nobody matches');

  return (
    <form onSubmit={submit} noValidate aria-label="Add a member">
      <Stack gap="sm">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label="Add a member"
            placeholder="Search by username or email"
            searchable
            clearable
            searchValue={search}
            onSearchChange={(value) => {
              setSearch(value);
              setFailure(null);
            }}
            filter={({ options: all }) => all}
            data={options}
            value={selected?.id ?? null}
            onChange={(id) => {
              setSelected(candidates.find((person) => person.id === id) ?? null);
              setFailure(null);
              setSaved(null);
            }}
            nothingFoundMessage={nothingFound}
            renderOption={({ option }) => {
              const person = candidates.find((candidate) => candidate.id === option.value);
              return (
                <Group gap={6} wrap="nowrap">
                  <Text fz="sm">{option.label}</Text>
                  {person && isServiceAccount(person) && <ServiceAccountBadge size="xs" />}
                </Group>
              );
            }}
            comboboxProps={{ withinPortal: true }}
            clearButtonProps={{ 'aria-label': 'Clear the person' }}
            style={{ flex: '1 1 280px' }}
          />
          {/* Disabled until someone is picked, like the other add forms. */}
          <Button type="submit" loading={mutation.isPending} disabled={selected === null}>
            Add to group
          </Button>
        </Group>
        {failure !== null && (
          <Alert color="red" variant="light" icon={<IconAlert />} title="Could not add the member">
            {failure}
          </Alert>
        )}
        <SuccessMessage message={saved} />
      </Stack>
    </form>
  );
}
