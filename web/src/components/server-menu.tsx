import { Text } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import type { ConsoleArea } from '../features/navigation/console-areas';
import classes from './app-layout.module.css';

function currentMarker(pathname: string, area: ConsoleArea): 'page' | 'true' | undefined {
  if (pathname === area.path) return 'page';
  if (pathname === area.activePrefix || pathname.startsWith(`${area.activePrefix}/`)) return 'true';
  return undefined;
}

/** The server menu as a row of links in the top bar (wide screens). */
export function ServerMenuBar({ areas }: { areas: readonly ConsoleArea[] }) {
  const { pathname } = useLocation();
  if (areas.length === 0) return null;
  return (
    <nav aria-label="Server menu" className={classes.serverMenu}>
      <ul className={classes.serverMenuList}>
        {areas.map((area) => (
          <li key={area.path}>
            <Link to={area.path} className={classes.serverMenuLink} aria-current={currentMarker(pathname, area)}>
              <area.icon size={18} />
              {area.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The server menu as a list with descriptions, inside the burger drawer (narrow screens). */
export function ServerMenuList({ areas, onNavigate }: { areas: readonly ConsoleArea[]; onNavigate: () => void }) {
  const { pathname } = useLocation();
  return (
    <nav aria-label="Server menu">
      <ul className={classes.drawerList}>
        {areas.map((area) => (
          <li key={area.path}>
            <Link to={area.path} className={classes.drawerLink} aria-current={currentMarker(pathname, area)} onClick={onNavigate}>
              <span className={classes.drawerLinkIcon}>
                <area.icon size={20} />
              </span>
              <span>
                <Text fw={700} span display="block">
                  {area.label}
                </Text>
                <Text size="sm" c="dimmed" span display="block">
                  {area.description}
                </Text>
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
