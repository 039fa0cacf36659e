import { infiniteQueryOptions, keepPreviousData, queryOptions, useQueryClient } from '@tanstack/react-query';
import type { PeopleFilter } from '../../../../src/shared/api/people';
import { getPerson, listPeople } from '../../api/people';
import type { InstanceRoleId } from '../../api/types';

export type AccountType = NonNullable<PeopleFilter['type']>;
export type MfaFilter = NonNullable<PeopleFilter['mfa']>;

/** The People page's filter, as it appears in the address bar. */
export interface PeopleListFilter {
  query: string;
  role: InstanceRoleId | undefined;
  status: 'active' | 'removed';
  /** People, service accounts, or both (docs/product/console.md#service-accounts). */
  type: AccountType;
  /** Only people with or without two-factor authentication (docs/product/console.md#people). */
  mfa: MfaFilter | undefined;
}

export const pageSize = 50;

export const peopleKeys = {
  all: ['people'] as const,
  lists: () => [...peopleKeys.all, 'list'] as const,
  list: (filter: PeopleListFilter) => [...peopleKeys.lists(), filter] as const,
  detail: (id: string) => [...peopleKeys.all, 'detail', id] as const,
  byUsername: (username: string) => [...peopleKeys.all, 'username', username] as const,
  search: (query: string) => [...peopleKeys.all, 'search', query] as const,
};

/** Keyset pages of people, 50 at a time: the console never asks for the whole list (docs/product/speed-targets.md#targets). */
export function peopleListOptions(filter: PeopleListFilter) {
  return infiniteQueryOptions({
    queryKey: peopleKeys.list(filter),
    queryFn: ({ pageParam, signal }) =>
      listPeople(
        {
          query: filter.query,
          role: filter.role,
          status: filter.status,
          type: filter.type,
          mfa: filter.mfa,
          cursor: pageParam,
          limit: pageSize,
        },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // While a new search runs, keep showing the previous rows instead of flashing a spinner.
    placeholderData: keepPreviousData,
  });
}

export function personOptions(id: string) {
  return queryOptions({ queryKey: peopleKeys.detail(id), queryFn: ({ signal }) => getPerson(id, signal) });
}

/**
 * The person behind `/people/<username>`. The API addresses people by id, so the username is looked up with the
 * search (an exact username is always among the first prefix matches), active accounts first, then removed ones.
 */
export function personByUsernameOptions(username: string) {
  return queryOptions({
    queryKey: peopleKeys.byUsername(username),
    queryFn: async ({ signal }) => {
      const wanted = username.toLowerCase();
      for (const status of ['active', 'removed'] as const) {
        const page = await listPeople({ query: wanted, status, limit: 20 }, signal);
        const found = page.items.find((person) => person.username === wanted);
        if (found) return getPerson(found.id, signal);
      }
      return null;
    },
  });
}

/** Refreshes everything the People page and the person page show, after a change. */
export function useRefreshPeople() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: peopleKeys.all });
}
