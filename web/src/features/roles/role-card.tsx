import { ActionIcon, Badge, Card, Group, Text, Title, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import type { RoleView } from '../../api/roles';
import { IconEye } from '../../components/icons';

/** The accessible name of a role's eye button; project roles say so, since "Admin" exists in both scopes. */
export function viewRoleLabel(role: Pick<RoleView, 'name' | 'scope'>): string {
  return role.scope === 'organization' ? `View ${role.name}` : `View project role ${role.name}`;
}

/** One predefined role, as on Semaphore's Settings → Roles: name, "N permissions", description, and an eye button. */
export function RoleCard({ role }: { role: RoleView }) {
  const count = role.permissions.length;
  return (
    <Card component="li" padding="md">
      <Group justify="space-between" wrap="nowrap" gap="sm" mb={6}>
        <Title order={3} fz="h4">
          {role.name}
        </Title>
        <Group gap="xs" wrap="nowrap">
          <Badge color="gray.7" variant="filled" radius="sm" tt="none" fw={600}>
            {count} {count === 1 ? 'permission' : 'permissions'}
          </Badge>
          <Tooltip label={viewRoleLabel(role)} withArrow>
            <ActionIcon
              component={Link}
              to={`/settings/roles/${encodeURIComponent(role.id)}`}
              variant="default"
              size="lg"
              aria-label={viewRoleLabel(role)}
            >
              <IconEye size={18} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        {role.description}
      </Text>
    </Card>
  );
}
