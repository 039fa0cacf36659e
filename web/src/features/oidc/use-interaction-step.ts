import { useMutation, useQueryClient } from '@tanstack/react-query';
import { abortInteraction, approveInteractionConsent, finishInteractionLogin, type InteractionRedirect } from '../../api/interactions';
import { meQueryOptions } from '../session/me-query';

/** The three answers a person gives a sign-in request. */
export type InteractionAction = 'login' | 'consent' | 'abort';

const send: Record<InteractionAction, (uid: string) => Promise<InteractionRedirect>> = {
  login: finishInteractionLogin,
  consent: approveInteractionConsent,
  abort: abortInteraction,
};

/**
 * Where the provider continues: only an address of this server or an http(s) one (the provider redirects to the
 * application's registered URI, never to a script).
 */
function followRedirect(redirectTo: string): void {
  const target = new URL(redirectTo, window.location.origin);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Error('The server answered with an unusable address.');
  window.location.assign(target.href);
}

/**
 * Answers the sign-in request `uid` (log in with the console session, approve, or cancel) and follows the provider's
 * redirect. The page stays on its "continuing" state while the browser leaves: `isSuccess` means the browser is going.
 */
export function useInteractionStep(uid: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (action: InteractionAction) => {
      // The CSRF token lives in memory and comes from `GET /me`: after a reload (or the provider's redirect back), the
      // caller is read first. Without a session this answers null and the call goes without a token.
      await queryClient.ensureQueryData(meQueryOptions);
      const { redirectTo } = await send[action](uid);
      followRedirect(redirectTo);
    },
  });
}
