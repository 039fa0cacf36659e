import { Navigate, Outlet, useLocation } from 'react-router';
import { AppLayout } from '../../components/app-layout';
import { ErrorState } from '../../components/error-state';
import { PageLoader } from '../../components/page-loader';
import { SetPasswordPage } from '../../routes/set-password-page';
import { loginPathFor } from '../auth/login-redirect';
import { useMeQuery } from './me-query';
import { SessionProvider } from './session-context';

/**
 * The gate in front of every signed-in page: nobody signed in → /login (remembering where they were going);
 * a restricted session → only "Set a new password" (docs/product/console.md#first-login-and-forced-password-change);
 * otherwise the console frame and the page.
 */
export function RequireSession() {
  const location = useLocation();
  const me = useMeQuery();

  if (me.data === undefined) {
    if (me.isError) return <ErrorState title="Cannot load your session" error={me.error} onRetry={() => void me.refetch()} />;
    return <PageLoader fullPage label="Loading your session…" />;
  }
  if (me.data === null) return <Navigate to={loginPathFor(location)} replace />;
  return (
    <SessionProvider me={me.data}>
      {me.data.user.mustChangePassword ? (
        <SetPasswordPage />
      ) : (
        <AppLayout me={me.data}>
          <Outlet />
        </AppLayout>
      )}
    </SessionProvider>
  );
}
