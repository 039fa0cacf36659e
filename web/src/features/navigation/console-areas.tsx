import type { ComponentType } from 'react';
import type { Abilities, AbilityName } from '../../api/types';
import { IconAuditLog, IconGroups, IconPeople, IconProjects, IconRoles } from '../../components/icons';

/** One area of the server menu: where it lives, and which server-side ability opens it. */
export interface ConsoleArea {
  /** Label in the server menu (the seed's words, docs/product/console.md#layout-and-menus). */
  label: string;
  /** Title of the page and of its card on the home page. */
  title: string;
  path: string;
  /** Paths under this prefix mark the menu entry as current. */
  activePrefix: string;
  ability: AbilityName;
  description: string;
  icon: ComponentType<{ size?: number }>;
}

/** The server menu, in the order Semaphore shows it. Settings leads to its only sub-page so far, Roles. */
export const serverMenuAreas: readonly ConsoleArea[] = [
  {
    label: 'People',
    title: 'People',
    path: '/people',
    activePrefix: '/people',
    ability: 'viewPeople',
    description: 'Accounts, roles and temporary passwords of everyone on this server.',
    icon: IconPeople,
  },
  {
    label: 'Projects',
    title: 'Projects',
    path: '/projects',
    activePrefix: '/projects',
    ability: 'viewProjects',
    description: 'Projects you can see, their owners and who may work on them.',
    icon: IconProjects,
  },
  {
    label: 'Groups',
    title: 'Groups',
    path: '/groups',
    activePrefix: '/groups',
    ability: 'viewGroups',
    description: 'Teams that share an instance role and project access.',
    icon: IconGroups,
  },
  {
    label: 'Audit log',
    title: 'Audit log',
    path: '/audit',
    activePrefix: '/audit',
    ability: 'viewAuditLog',
    description: 'Every change and sign-in, in a tamper-evident trail.',
    icon: IconAuditLog,
  },
  {
    label: 'Settings',
    title: 'Settings → Roles',
    path: '/settings/roles',
    activePrefix: '/settings',
    ability: 'viewRoles',
    description: 'Organization and project roles, and the permissions each one grants.',
    icon: IconRoles,
  },
];

/** The areas this caller may open, as decided by the server's abilities. */
export function visibleAreas(abilities: Abilities): ConsoleArea[] {
  return serverMenuAreas.filter((area) => abilities[area.ability]);
}
