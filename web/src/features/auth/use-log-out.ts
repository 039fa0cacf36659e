import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { logOut } from '../../api/auth';
import { isApiError } from '../../api/client';
import { meQueryKey } from '../session/me-query';
import { rememberSignOutReason } from './sign-out-reason';
import { forgetTemporaryPassword } from './temporary-password';

/** Ends the session and returns to /login. */
export function useLogOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  function leave(): void {
    forgetTemporaryPassword();
    rememberSignOutReason('logged-out');
    // Navigate synchronously first: otherwise the session guard would see "nobody signed in" and send the user to
    // /login?next=<this page>, which after a deliberate logout would be surprising for the next person to log in.
    void navigate('/login', { replace: true, flushSync: true });
    queryClient.setQueryData(meQueryKey, null);
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
  }

  return useMutation({
    mutationFn: logOut,
    meta: { expectsUnauthorized: true },
    onSuccess: leave,
    onError: (error) => {
      // A session that already ended is as logged out as it gets.
      if (isApiError(error, { status: 401 })) {
        leave();
        return;
      }
      notifications.show({
        color: 'red',
        title: 'Could not log out',
        message: isApiError(error) ? error.detail : 'Please try again.',
      });
    },
  });
}
