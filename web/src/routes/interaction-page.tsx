import { useDocumentTitle } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { isApiError } from '../api/client';
import { fetchInteractionDetails } from '../api/interactions';
import { AuthLayout } from '../components/auth-layout';
import { ErrorState } from '../components/error-state';
import { PageLoader } from '../components/page-loader';
import { ConsentCard } from '../features/oidc/consent-card';
import { InteractionExpired } from '../features/oidc/interaction-expired';
import { InteractionLogin } from '../features/oidc/interaction-login';

/**
 * `/interaction/:uid`: where Roster's OpenID Connect provider sends the browser when another application signs a
 * person in (docs/product: Roster as an OpenID Connect provider) — to log in, then to approve what a third-party
 * application asks for. Public: most visitors are not logged in yet.
 */
export function InteractionPage() {
  const { uid = '' } = useParams();
  const details = useQuery({
    queryKey: ['interaction', uid],
    queryFn: ({ signal }) => fetchInteractionDetails(uid, signal),
    // Read when the page opens and when it says so (after a login); a refetch on focus could change the step under the
    // person's hand. Forgotten when the page closes: back from setting a password, the request is read afresh.
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
  const appName = details.data?.application.name;
  useDocumentTitle(appName === undefined ? 'Sign in · Roster' : `Sign in to ${appName} · Roster`);

  if (details.isPending) return <PageLoader fullPage label="Loading the sign-in request…" />;
  if (details.isError) {
    return (
      <AuthLayout>
        {isApiError(details.error, { code: 'interaction_not_found' }) ? (
          <InteractionExpired />
        ) : (
          <ErrorState title="Cannot load the sign-in request" error={details.error} onRetry={() => void details.refetch()} />
        )}
      </AuthLayout>
    );
  }
  return (
    <AuthLayout>
      {details.data.prompt === 'consent' ? (
        <ConsentCard details={details.data} />
      ) : (
        <InteractionLogin details={details.data} reload={details.refetch} />
      )}
    </AuthLayout>
  );
}
