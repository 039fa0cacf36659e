import { queryOptions } from '@tanstack/react-query';
import type { Person } from '../../api/people';
import { getServiceAccount, type ServiceAccount } from '../../api/service-accounts';
import { peopleKeys } from '../people/people-queries';

/** Under the People keys: whatever refreshes the People page refreshes service accounts too. */
export const serviceAccountKeys = {
  detail: (id: string) => [...peopleKeys.all, 'service-account', id] as const,
};

export function serviceAccountOptions(id: string) {
  return queryOptions({ queryKey: serviceAccountKeys.detail(id), queryFn: ({ signal }) => getServiceAccount(id, signal) });
}

/** When the account's token expires (null: never). */
export function tokenExpiresAt(account: Pick<ServiceAccount, 'token'>): string | null {
  return account.token?.expiresAt ?? null;
}

/** What the People list shows of a service account's row. */
export interface ServiceAccountRowFacts {
  tokenExpiresAt: string | null;
}

/** The service-account facts of a People row, or null when the row is a person. */
export function serviceAccountFacts(row: Pick<Person, 'type' | 'tokenExpiresAt'>): ServiceAccountRowFacts | null {
  if (row.type !== 'service_account') return null;
  return { tokenExpiresAt: row.tokenExpiresAt ?? null };
}

/** Whether a row of a list or a picker is a service account (lookup rows carry `type` once the server sends it). */
export function isServiceAccount(row: object): boolean {
  return 'type' in row && row.type === 'service_account';
}
