import { Box, Burger, Button, Drawer } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type ReactNode, useEffect, useRef } from 'react';
import { Link, useLocation } from 'react-router';
import type { Me } from '../api/types';
import { visibleAreas } from '../features/navigation/console-areas';
import classes from './app-layout.module.css';
import { RosterMark } from './icons';
import { ServerMenuBar, ServerMenuList } from './server-menu';
import { UserMenu } from './user-menu';

interface AppLayoutProps {
  /** The signed-in caller; without one (e.g. a 404 seen while logged out) the bar offers "Log in" instead. */
  me: Me | null;
  children: ReactNode;
}

/** The console frame: top bar with the server menu and the user menu, then the page. */
export function AppLayout({ me, children }: AppLayoutProps) {
  const [drawerOpened, drawer] = useDisclosure(false);
  const areas = me ? visibleAreas(me.abilities) : [];
  useFocusTitleOnNavigation();

  return (
    <>
      <a href="#main" className={classes.skipLink}>
        Skip to main content
      </a>
      <header className={classes.topBar}>
        <div className={classes.topBarInner}>
          {areas.length > 0 && (
            <Burger
              hiddenFrom="md"
              size="sm"
              opened={drawerOpened}
              onClick={drawer.toggle}
              aria-label={drawerOpened ? 'Close server menu' : 'Open server menu'}
              aria-expanded={drawerOpened}
            />
          )}
          <Link to="/" className={classes.brand}>
            <RosterMark />
            <span>Roster</span>
          </Link>
          {areas.length > 0 && (
            <Box visibleFrom="md" className={classes.serverMenu}>
              <ServerMenuBar areas={areas} />
            </Box>
          )}
          <div className={classes.spacer} />
          {me ? (
            <UserMenu me={me} />
          ) : (
            <Button component={Link} to="/login" variant="default">
              Log in
            </Button>
          )}
        </div>
      </header>
      {/* Composed by hand so that the drawer's header is a div: Mantine's default <header> would be a second banner. */}
      <Drawer.Root opened={drawerOpened} onClose={drawer.close} size={320} hiddenFrom="md">
        <Drawer.Overlay />
        <Drawer.Content>
          <Drawer.Header component="div">
            <Drawer.Title fw={800} fz="lg">
              Roster
            </Drawer.Title>
            <Drawer.CloseButton aria-label="Close server menu" />
          </Drawer.Header>
          <Drawer.Body>
            <ServerMenuList areas={areas} onNavigate={drawer.close} />
          </Drawer.Body>
        </Drawer.Content>
      </Drawer.Root>
      <main id="main" tabIndex={-1} className={classes.main}>
        {children}
      </main>
    </>
  );
}

/** After a client-side navigation, move focus to the new page's title, as a full page load would. */
function useFocusTitleOnNavigation(): void {
  const { pathname } = useLocation();
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    const title = document.querySelector<HTMLElement>('main [data-page-title]');
    title?.focus({ preventScroll: false });
  }, [pathname]);
}
