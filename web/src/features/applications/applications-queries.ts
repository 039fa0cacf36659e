import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { fetchProviderAddresses, getApplication, listApplications, listConsents } from '../../api/applications';

export const applicationsQueryKey = ['applications'] as const;

/** The registered applications, page by page (`Load more`). */
export const applicationsListOptions = infiniteQueryOptions({
  queryKey: [...applicationsQueryKey, 'list'],
  queryFn: ({ pageParam, signal }) => listApplications(pageParam, signal),
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (page) => page.nextCursor ?? undefined,
});

export function applicationQueryOptions(id: string) {
  return queryOptions({ queryKey: [...applicationsQueryKey, 'detail', id], queryFn: ({ signal }) => getApplication(id, signal) });
}

/** The discovery URL and the issuer: they change only with the server's configuration. */
export const providerAddressesOptions = queryOptions({
  queryKey: ['oidc', 'provider-addresses'],
  queryFn: ({ signal }) => fetchProviderAddresses(signal),
  staleTime: Number.POSITIVE_INFINITY,
});

/** The applications the caller allowed. Under the `me` key, so that everything that refreshes the caller refreshes these. */
export const consentsQueryKey = ['me', 'applications'] as const;
export const consentsQueryOptions = queryOptions({ queryKey: consentsQueryKey, queryFn: ({ signal }) => listConsents(signal) });
