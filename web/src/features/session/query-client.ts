import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from '../../api/client';
import { hasSignOutReason, rememberSignOutReason } from '../auth/sign-out-reason';
import { meQueryKey } from './me-query';

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: {
      /** Set on the login mutation, where a 401 means "wrong password", not "session expired". */
      expectsUnauthorized?: boolean;
    };
  }
}

/** Creates the console's query client, which also reacts to a session that ended or became restricted. */
export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error) => reactToSessionErrors(error) }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (!mutation.meta?.expectsUnauthorized) reactToSessionErrors(error);
      },
    }),
    defaultOptions: {
      queries: {
        // A 4xx will not change by asking again; network hiccups and 5xx get two more tries.
        retry: (failureCount, error) => !(isApiError(error) && error.status >= 400 && error.status < 500) && failureCount < 2,
      },
      mutations: { retry: false },
    },
  });

  // A caller who was signed in and is not any more, without logging out here: the session ended under them. The login
  // page says so (docs/product/console.md#log-in).
  let signedIn = false;
  queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated' || event.query.queryKey[0] !== meQueryKey[0]) return;
    const data = event.query.state.data as unknown;
    if (data === undefined) return;
    if (signedIn && data === null && !hasSignOutReason()) rememberSignOutReason('session-ended');
    signedIn = data !== null;
  });

  function reactToSessionErrors(error: unknown): void {
    if (isApiError(error, { status: 401 })) {
      // The session expired or was ended elsewhere: forget the caller, and the guard sends them to /login.
      queryClient.setQueryData(meQueryKey, null);
    } else if (isApiError(error, { code: 'password_change_required' }) || isApiError(error, { code: 'csrf_failed' })) {
      // The session changed under us (restricted, or rotated by a password change in another tab): /me brings the
      // current state and CSRF token, so that the user's next attempt goes through.
      void queryClient.invalidateQueries({ queryKey: meQueryKey });
    }
  }

  return queryClient;
}
