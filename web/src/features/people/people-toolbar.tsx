import { Button, Group, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { organizationRoleIds, organizationRoles } from '../../api/catalogue';
import { peopleExportUrl } from '../../api/people';
import type { InstanceRoleId } from '../../api/types';
import { IconDownload, IconSearch } from '../../components/icons';
import { useSession } from '../session/session-context';
import type { AccountType, MfaFilter, PeopleListFilter } from './people-queries';
import { shortSearchHint } from './search-hint';

interface PeopleToolbarProps {
  search: string;
  onSearchChange: (value: string) => void;
  filter: PeopleListFilter;
  onFilterChange: (filter: Partial<PeopleListFilter>) => void;
}

const roleOptions = [
  { value: 'all', label: 'All roles' },
  ...organizationRoleIds.map((role) => ({ value: role, label: organizationRoles[role].name })),
];

const typeOptions: { value: AccountType; label: string }[] = [
  { value: 'person', label: 'People' },
  { value: 'service_account', label: 'Service accounts' },
  { value: 'all', label: 'All' },
];

const mfaOptions: { value: MfaFilter | 'all'; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'enabled', label: '2FA on' },
  { value: 'disabled', label: '2FA off' },
];

const statusOptions = [
  { value: 'active', label: 'Active' },
  { value: 'removed', label: 'Removed' },
];

/** Search, type, role, status and 2FA filters, and the CSV export of what they select. */
export function PeopleToolbar({ search, onSearchChange, filter, onFilterChange }: PeopleToolbarProps) {
  const { abilities } = useSession();
  return (
    <Group gap="sm" align="flex-end" wrap="wrap" mb="md">
      <TextInput
        label="Search"
        placeholder="Search for users and groups"
        leftSection={<IconSearch size={16} />}
        value={search}
        onChange={(event) => onSearchChange(event.currentTarget.value)}
        // Between the label and the box: the row aligns its controls at the bottom, so the box stays where it is.
        description={shortSearchHint(search)}
        type="search"
        style={{ flex: '1 1 260px' }}
      />
      {abilities.viewServiceAccounts && (
        <Stack gap={4} w={{ base: '100%', sm: 'auto' }}>
          <Text fz="sm" fw={500} id="account-type-label">
            Show
          </Text>
          <SegmentedControl
            aria-labelledby="account-type-label"
            data={typeOptions}
            value={filter.type}
            onChange={(value) => {
              const type = typeOptions.find((option) => option.value === value)?.value ?? 'person';
              // Service accounts have no second factor: the 2FA filter would leave none of them.
              onFilterChange(type === 'service_account' ? { type, mfa: undefined } : { type });
            }}
          />
        </Stack>
      )}
      <Select
        label="Role"
        data={roleOptions}
        value={filter.role ?? 'all'}
        onChange={(value) => onFilterChange({ role: value === null || value === 'all' ? undefined : (value as InstanceRoleId) })}
        allowDeselect={false}
        w={{ base: 'calc(50% - 6px)', sm: 150 }}
      />
      <Select
        label="Status"
        data={statusOptions}
        value={filter.status}
        onChange={(value) => onFilterChange({ status: value === 'removed' ? 'removed' : 'active' })}
        allowDeselect={false}
        w={{ base: 'calc(50% - 6px)', sm: 150 }}
      />
      {filter.type !== 'service_account' && (
        <Select
          label="2FA"
          data={mfaOptions}
          value={filter.mfa ?? 'all'}
          onChange={(value) => onFilterChange({ mfa: value === 'enabled' || value === 'disabled' ? value : undefined })}
          allowDeselect={false}
          w={{ base: 'calc(50% - 6px)', sm: 130 }}
        />
      )}
      <Button
        component="a"
        href={peopleExportUrl(filter)}
        download
        variant="default"
        leftSection={<IconDownload size={16} />}
        aria-label="Export people as CSV"
      >
        Export
      </Button>
    </Group>
  );
}
