import { ActionIcon, Button, Fieldset, Group, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconX } from '../../components/icons';
import { GroupPicker, type PickedGroup } from '../projects/group-picker';

/** One row of the editor: a value of the provider's groups claim and the Roster group it maps onto (none picked yet). */
export interface MappingRow {
  /** A key for React only, never sent. */
  key: number;
  value: string;
  group: PickedGroup | null;
  valueError?: string | undefined;
  groupError?: string | undefined;
}

let nextKey = 1;

/** A new row of the editor, empty or holding a stored mapping. */
export function mappingRow(value = '', group: PickedGroup | null = null): MappingRow {
  nextKey += 1;
  return { key: nextKey, value, group };
}

interface GroupMappingsFieldProps {
  rows: MappingRow[];
  onChange: (rows: MappingRow[]) => void;
  /** The claim the values come from, to say so. */
  groupsClaim: string;
  /** The server's message about the mappings as a whole. */
  error?: string | undefined;
}

/**
 * Group mappings (docs/sso.md): a value of the provider's groups claim → a Roster group. A mapped group's memberships
 * follow the provider at each login; the groups are picked like everywhere else in the console.
 */
export function GroupMappingsField({ rows, onChange, groupsClaim, error }: GroupMappingsFieldProps) {
  const update = (key: number, change: Partial<MappingRow>) => onChange(rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
  return (
    <Fieldset legend="Group mappings" variant="filled" radius="md">
      <Stack gap="sm">
        <Text fz="sm" c="dimmed">
          When the <code>{groupsClaim}</code> claim holds a value, the person is put in its Roster group at each login, and taken out when
          the value is gone. Mapped groups follow the provider only. Without the claim, memberships stay as they are.
        </Text>
        {rows.length === 0 && (
          <Text fz="sm" data-no-mappings="">
            No mappings: logging in with this provider changes no group.
          </Text>
        )}
        {rows.map((row, index) => (
          <Group key={row.key} align="flex-start" gap="sm" wrap="wrap" data-mapping-row={index + 1}>
            <TextInput
              label={`Provider group ${index + 1}`}
              placeholder="platform-team"
              autoComplete="off"
              spellCheck={false}
              value={row.value}
              onChange={(event) => update(row.key, { value: event.currentTarget.value, valueError: undefined })}
              error={row.valueError}
              style={{ flex: '1 1 200px' }}
            />
            <div style={{ flex: '1 1 200px' }}>
              <GroupPicker
                label={`Roster group ${index + 1}`}
                value={row.group}
                onChange={(group) => update(row.key, { group, groupError: undefined })}
                error={row.groupError}
              />
            </div>
            <Tooltip label="Remove this mapping" withArrow>
              <ActionIcon
                variant="subtle"
                color="gray"
                mt={28}
                size="lg"
                aria-label={`Remove mapping ${index + 1}`}
                onClick={() => onChange(rows.filter((other) => other.key !== row.key))}
              >
                <IconX size={16} />
              </ActionIcon>
            </Tooltip>
          </Group>
        ))}
        {error !== undefined && (
          <Text fz="sm" c="red" role="alert">
            {error}
          </Text>
        )}
        <Group>
          <Button variant="default" size="xs" leftSection={<IconPlus size={14} />} onClick={() => onChange([...rows, mappingRow()])}>
            Add mapping
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
