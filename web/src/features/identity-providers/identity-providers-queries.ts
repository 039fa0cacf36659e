import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { getIdentityProvider, listIdentityProviders } from '../../api/identity-providers';

export const identityProvidersQueryKey = ['identity-providers'] as const;

/** The registered identity providers, by label, page by page (`Load more`). */
export const identityProvidersListOptions = infiniteQueryOptions({
  queryKey: [...identityProvidersQueryKey, 'list'],
  queryFn: ({ pageParam, signal }) => listIdentityProviders(pageParam, signal),
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (page) => page.nextCursor ?? undefined,
});

export function identityProviderQueryOptions(id: string) {
  return queryOptions({
    queryKey: [...identityProvidersQueryKey, 'detail', id],
    queryFn: ({ signal }) => getIdentityProvider(id, signal),
  });
}
