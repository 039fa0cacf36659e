import { Button, Group } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import type { Me } from '../../api/types';
import { useSession } from '../session/session-context';

/** One sub-page of Settings, and whether this caller may open it (decided by the server's abilities). */
interface SettingsPage {
  label: string;
  path: string;
  opens: (me: Me) => boolean;
}

/** The sub-pages of Settings (docs/product/console.md#settings), in the order of the sub-menu. */
const settingsPages: readonly SettingsPage[] = [
  { label: 'Roles', path: '/settings/roles', opens: (me) => me.abilities.viewRoles },
  { label: 'Security', path: '/settings/security', opens: (me) => me.abilities.manageSecuritySettings },
  { label: 'Applications', path: '/settings/applications', opens: (me) => me.abilities.viewApplications },
  { label: 'Identity providers', path: '/settings/identity-providers', opens: (me) => me.abilities.manageIdentityProviders },
];

/** The Settings sub-menu under a settings page's title: only the pages this caller may open, and only when there are two. */
export function SettingsMenu() {
  const me = useSession();
  const { pathname } = useLocation();
  const pages = settingsPages.filter((page) => page.opens(me));
  if (pages.length < 2) return null;
  return (
    <Group component="nav" aria-label="Settings" gap="xs" mt={-12} mb="xl">
      {pages.map((page) => {
        const current = pathname === page.path || pathname.startsWith(`${page.path}/`);
        return (
          <Button
            key={page.path}
            component={Link}
            to={page.path}
            variant={current ? 'light' : 'subtle'}
            color={current ? undefined : 'gray'}
            aria-current={pathname === page.path ? 'page' : current ? 'true' : undefined}
          >
            {page.label}
          </Button>
        );
      })}
    </Group>
  );
}
