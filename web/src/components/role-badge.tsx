import { Badge } from '@mantine/core';
import { organizationRoles } from '../api/catalogue';
import type { InstanceRoleId } from '../api/types';

// Colours of the instance roles (docs/product/roles-and-permissions.md#organization-roles: Owner red, Admin blue,
// Member green); the labels are the catalogue's names. The colours are dark shades so that white text keeps WCAG AA
// contrast at badge size.
const roleColor: Record<InstanceRoleId, string> = { owner: '#c92a2a', admin: '#1864ab', member: '#237032' };

export function roleLabel(role: InstanceRoleId): string {
  return organizationRoles[role].name;
}

/** A coloured role label, as on Semaphore's People page. */
export function RoleBadge({ role, size = 'sm' }: { role: InstanceRoleId; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  const label = roleLabel(role);
  const color = roleColor[role];
  return (
    <Badge component="span" color={color} variant="filled" radius="sm" tt="none" size={size} fw={600} style={{ verticalAlign: 'middle' }}>
      {label}
    </Badge>
  );
}
