import { Button, Stack, Text, ThemeIcon } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { AppLayout } from '../components/app-layout';
import { IconCompass } from '../components/icons';
import { PageLoader } from '../components/page-loader';
import { PageTitle } from '../components/page-title';
import { useMeQuery } from '../features/session/me-query';
import { SessionProvider } from '../features/session/session-context';
import { SetPasswordPage } from './set-password-page';

/**
 * Any address the console does not know. Shown inside the usual frame when someone is signed in, and with a plain
 * "Log in" bar otherwise; a restricted session still sees only "Set a new password".
 */
export function NotFoundRoute() {
  const me = useMeQuery();
  if (me.isPending) return <PageLoader fullPage />;
  const signedIn = me.data ?? null;
  if (signedIn?.user.mustChangePassword) {
    return (
      <SessionProvider me={signedIn}>
        <SetPasswordPage />
      </SessionProvider>
    );
  }
  return (
    <AppLayout me={signedIn}>
      <NotFoundPage />
    </AppLayout>
  );
}

function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <Stack align="center" ta="center" gap="md" py={{ base: 32, sm: 64 }} maw={560} mx="auto">
      <ThemeIcon size={64} radius="xl" variant="light" color="gray" aria-hidden="true">
        <IconCompass size={32} />
      </ThemeIcon>
      <Text fw={700} c="dimmed" size="sm" tt="uppercase" lts={1}>
        Error 404
      </Text>
      <PageTitle documentTitle="Page not found">Page not found</PageTitle>
      <Text c="dimmed" size="lg" style={{ overflowWrap: 'anywhere' }}>
        There is no page at <code>{pathname}</code>. The link may be mistyped, or the page may have moved.
      </Text>
      <Button component={Link} to="/" size="md" mt="sm">
        Go to the home page
      </Button>
    </Stack>
  );
}
