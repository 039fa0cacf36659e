import { Select, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { listPermissions, type PermissionInfo } from '../../api/authorize';
import { type Permission, type PermissionScope, permissionCatalogue } from '../../api/catalogue';
import { useSession } from '../session/session-context';

const scopeLabels: Record<PermissionScope, string> = { organization: 'Instance (organization)', project: 'Project' };

// The console ships the same catalogue the server enforces; it stands in when GET /permissions is not allowed
// (it needs organization.custom_roles.view, which project Admins who are instance Members do not have).
const bundled: PermissionInfo[] = permissionCatalogue.map(({ name, description }) => ({
  name,
  description,
  scope: name.startsWith('project.') ? 'project' : 'organization',
}));

interface PermissionSelectProps {
  value: Permission | null;
  onChange: (permission: Permission | null) => void;
  scopes: readonly PermissionScope[];
  label?: string;
}

/** A searchable permission picker, grouped by scope, each permission with its one-line description. */
export function PermissionSelect({ value, onChange, scopes, label = 'Permission' }: PermissionSelectProps) {
  const { abilities } = useSession();
  const permissions = useQuery({
    queryKey: ['permissions'],
    queryFn: ({ signal }) => listPermissions(signal),
    staleTime: Infinity,
    retry: false,
    // Asked only when allowed: a refused request would log a 403 in the browser console (issue 17 item 10).
    enabled: abilities.viewRoles,
  });
  const items = permissions.data?.items ?? bundled;
  const descriptions = new Map(items.map((item) => [item.name, item.description]));
  const data = scopes.map((scope) => ({
    group: scopeLabels[scope],
    items: items.filter((item) => item.scope === scope).map((item) => ({ value: item.name, label: item.name })),
  }));

  return (
    <Select
      label={label}
      placeholder="Pick or type a permission"
      searchable
      data={data}
      value={value}
      onChange={(next) => onChange(next as Permission | null)}
      maxDropdownHeight={320}
      renderOption={({ option }) => (
        <Stack gap={0}>
          <Text fz="sm" ff="monospace">
            {option.label}
          </Text>
          <Text fz="xs" c="dimmed">
            {descriptions.get(option.value)}
          </Text>
        </Stack>
      )}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
