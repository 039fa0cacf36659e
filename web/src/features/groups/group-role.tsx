import { Badge, Radio, Stack } from '@mantine/core';
import { type GroupRoleId, groupRoleIds } from '../../api/catalogue';
import type { GroupRole } from '../../api/group-management';
import { RoleBadge } from '../../components/role-badge';

/** The instance role a group gives, as a coloured label; "No role" when it gives none. */
export function GroupRoleBadge({ role }: { role: GroupRole }) {
  if (role === null) {
    return (
      <Badge component="span" color="gray.7" variant="outline" radius="sm" tt="none" fw={600} size="sm">
        No role
      </Badge>
    );
  }
  return <RoleBadge role={role} />;
}

const choices: { value: 'none' | GroupRoleId; label: string; description: string }[] = [
  { value: 'none', label: 'None', description: 'Members keep their own role; the group only collects people for project access.' },
  { value: 'member', label: 'Member', description: 'Members get at least the Member role on this server.' },
  {
    value: 'admin',
    label: 'Admin',
    description: 'Members get at least the Admin role: they manage people, groups and settings. Owner is never given by a group.',
  },
];

export function toRoleChoice(role: GroupRole): string {
  return role ?? 'none';
}

export function fromRoleChoice(choice: string): GroupRole {
  return (groupRoleIds as readonly string[]).includes(choice) ? (choice as GroupRoleId) : null;
}

interface GroupRoleFieldProps {
  value: GroupRole;
  onChange: (role: GroupRole) => void;
  error?: string | undefined;
  disabled?: boolean;
}

/** "Instance role": None, Member or Admin (never Owner, docs/product/data.md), each with what it means. */
export function GroupRoleField({ value, onChange, error, disabled }: GroupRoleFieldProps) {
  return (
    <Radio.Group
      label="Instance role"
      description="The role every member of the group gets on this server, if it is higher than their own."
      value={toRoleChoice(value)}
      onChange={(choice) => onChange(fromRoleChoice(choice))}
      error={error}
    >
      <Stack gap="xs" mt="xs">
        {choices.map((choice) => (
          <Radio key={choice.value} value={choice.value} label={choice.label} description={choice.description} disabled={disabled} />
        ))}
      </Stack>
    </Radio.Group>
  );
}
