import { useDocumentTitle } from '@mantine/hooks';
import { Navigate, useSearchParams } from 'react-router';
import { AuthLayout } from '../components/auth-layout';
import { PageLoader } from '../components/page-loader';
import { LoginForm } from '../features/auth/login-form';
import { safeNextPath } from '../features/auth/login-redirect';
import { useMeQuery } from '../features/session/me-query';

/**
 * `/login`: email or username and password (docs/product/console.md#first-login-and-forced-password-change), or a
 * company identity provider, which comes back to the same `next` page. A
 * signed-in visitor goes straight on; so does one who just logged in, since the form reads the caller again.
 */
export function LoginPage() {
  useDocumentTitle('Log in · Roster');
  const me = useMeQuery();
  const [searchParams] = useSearchParams();
  // `returnTo`: where a login through an identity provider that stopped at the second factor goes on to.
  const next = safeNextPath(searchParams.get('next') ?? searchParams.get('returnTo'));

  if (me.data) return <Navigate to={next} replace />;
  if (me.isPending) return <PageLoader fullPage label="Checking your session…" />;
  return (
    <AuthLayout>
      <LoginForm
        title="Log in to Roster"
        description="People and access for your delivery platform"
        ssoReturnTo={next === '/' ? undefined : next}
      />
    </AuthLayout>
  );
}
