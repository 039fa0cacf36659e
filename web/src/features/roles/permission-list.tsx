import { Checkbox, Paper, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useId, useMemo, useState } from 'react';
import type { PermissionView } from '../../api/roles';
import { groupByArea } from './permission-areas';

type Show = 'all' | 'granted' | 'not-granted';

// Disabled controls are drawn pale by default; these are read-only facts, so they keep full contrast, and a granted
// permission keeps the console's colour so that "checked" reads at a glance.
const readableLabel = {
  label: { color: 'var(--mantine-color-text)', cursor: 'default' },
  description: { color: 'var(--mantine-color-dimmed)' },
};
const notGrantedStyles = {
  ...readableLabel,
  input: { backgroundColor: 'var(--mantine-color-white)', borderColor: 'var(--mantine-color-gray-6)', cursor: 'default' },
};
const grantedStyles = {
  ...readableLabel,
  input: { backgroundColor: 'var(--mantine-color-navy-7)', borderColor: 'var(--mantine-color-navy-7)', cursor: 'default' },
  icon: { color: 'white' },
};

/**
 * Every permission of a scope as a disabled checkbox, checked where the role grants it (docs/product/console.md#roles),
 * grouped by area, with a search box and a granted / not granted filter.
 */
export function PermissionList({ permissions, granted }: { permissions: PermissionView[]; granted: ReadonlySet<string> }) {
  const [search, setSearch] = useState('');
  const [show, setShow] = useState<Show>('all');
  const countId = useId();

  const visible = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return permissions.filter((permission) => {
      if (show === 'granted' && !granted.has(permission.name)) return false;
      if (show === 'not-granted' && granted.has(permission.name)) return false;
      return needle === '' || permission.name.toLowerCase().includes(needle) || permission.description.toLowerCase().includes(needle);
    });
  }, [permissions, granted, search, show]);
  const areas = groupByArea(visible);

  return (
    <Stack gap="md">
      <Stack gap="sm">
        <TextInput
          type="search"
          label="Search permissions"
          placeholder="e.g. people, secrets, manage"
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          aria-describedby={countId}
          maw={480}
        />
        <SegmentedControl
          aria-label="Show permissions"
          value={show}
          onChange={(value) => setShow(value as Show)}
          data={[
            { value: 'all', label: 'All' },
            { value: 'granted', label: 'Granted' },
            { value: 'not-granted', label: 'Not granted' },
          ]}
          style={{ alignSelf: 'flex-start' }}
        />
        <Text size="sm" c="dimmed" id={countId} role="status" aria-live="polite">
          {visible.length === permissions.length
            ? `${granted.size} of ${permissions.length} permissions granted`
            : `${visible.length} of ${permissions.length} permissions shown`}
        </Text>
      </Stack>
      {areas.length === 0 ? (
        <Paper withBorder p="lg" bg="gray.0">
          <Text ta="center">No permission matches "{search.trim()}".</Text>
        </Paper>
      ) : (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          {areas.map((area) => (
            <Paper key={area.key} withBorder p="md" component="fieldset" style={{ margin: 0, minWidth: 0 }}>
              <Title order={3} fz="md" component="legend" px={6}>
                {area.label}
              </Title>
              <Stack gap="sm" mt={4}>
                {area.permissions.map((permission) => {
                  const isGranted = granted.has(permission.name);
                  return (
                    <Checkbox
                      key={permission.name}
                      checked={isGranted}
                      disabled
                      readOnly
                      label={
                        <span style={{ fontFamily: 'var(--mantine-font-family-monospace)', fontSize: '0.92em', overflowWrap: 'anywhere' }}>
                          {permission.name}
                        </span>
                      }
                      description={permission.description}
                      styles={isGranted ? grantedStyles : notGrantedStyles}
                    />
                  );
                })}
              </Stack>
            </Paper>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
