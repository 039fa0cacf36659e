import { queryOptions } from '@tanstack/react-query';
import { fetchOwnSessions } from '../../api/profile';

export const ownSessionsQueryKey = ['me', 'sessions'] as const;

/** The caller's live sessions. Under the `me` key, so that everything that refreshes the caller refreshes these too. */
export const ownSessionsQueryOptions = queryOptions({
  queryKey: ownSessionsQueryKey,
  queryFn: ({ signal }) => fetchOwnSessions(signal),
});
