import { Badge } from '@mantine/core';
import type { InstanceRoleId } from '../api/types';

// Display labels and colours of the instance roles (SPEC §3.1: Owner red, Admin blue, Member green).
// The colours are dark shades so that white text keeps WCAG AA contrast at badge size.
const roleDisplay: Record<InstanceRoleId, { label: string; color: string }> = {
  owner: { label: 'Owner', color: '#c92a2a' },
  admin: { label: 'Admin', color: '#1864ab' },
  member: { label: 'Member', color: '#237032' },
};

export function roleLabel(role: InstanceRoleId): string {
  return roleDisplay[role].label;
}

/** A coloured role label, as on Semaphore's People page. */
export function RoleBadge({ role, size = 'sm' }: { role: InstanceRoleId; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  const { label, color } = roleDisplay[role];
  return (
    <Badge component="span" color={color} variant="filled" radius="sm" tt="none" size={size} fw={600} style={{ verticalAlign: 'middle' }}>
      {label}
    </Badge>
  );
}
