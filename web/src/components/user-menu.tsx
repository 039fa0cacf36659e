import { Avatar, Menu, Text, UnstyledButton } from '@mantine/core';
import { useId } from 'react';
import { Link } from 'react-router';
import type { Me } from '../api/types';
import { useLogOut } from '../features/auth/use-log-out';
import classes from './app-layout.module.css';
import { IconChevronDown, IconLogOut, IconProfile } from './icons';
import { RoleBadge } from './role-badge';

/** The user menu at the top-right (docs/product/console.md#layout-and-menus): who is logged in, Profile settings, Log out. */
export function UserMenu({ me }: { me: Me }) {
  const logOut = useLogOut();
  const profileHintId = useId();
  const logOutHintId = useId();
  const { username } = me.user;

  return (
    <Menu position="bottom-end" width={280} shadow="md" offset={6} withinPortal>
      <Menu.Target>
        <UnstyledButton className={classes.userMenuTrigger} aria-label="User menu">
          <Avatar name={username} color="#1f2a37" radius="xl" size={36} variant="filled" />
          <IconChevronDown size={16} />
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <div className={classes.userMenuHeader}>
          <Text size="xs" c="dimmed">
            Logged in as
          </Text>
          <Text fw={700} truncate="end">
            {username}
          </Text>
          <Text size="sm" c="dimmed" truncate="end" mb={6}>
            {me.user.email}
          </Text>
          <RoleBadge role={me.effectiveRole} size="sm" />
        </div>
        <Menu.Divider />
        <Menu.Item
          component={Link}
          to="/profile"
          leftSection={<IconProfile size={18} />}
          aria-label="Profile settings"
          aria-describedby={profileHintId}
        >
          <Text fw={600} size="sm">
            Profile settings
          </Text>
          <Text size="xs" c="dimmed" id={profileHintId}>
            Screen name, email, password, API token
          </Text>
        </Menu.Item>
        <Menu.Item
          leftSection={<IconLogOut size={18} />}
          onClick={() => logOut.mutate()}
          disabled={logOut.isPending}
          aria-label="Log out"
          aria-describedby={logOutHintId}
        >
          <Text fw={600} size="sm">
            Log out
          </Text>
          <Text size="xs" c="dimmed" id={logOutHintId}>
            End this session on this browser
          </Text>
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
