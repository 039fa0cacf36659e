import { queryOptions } from '@tanstack/react-query';
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

/** What the People list shows of a service account's row (PROVISIONAL until sa-core's row shape lands). */
export interface ServiceAccountRowFacts {
  description: string;
  tokenExpiresAt: string | null;
  deactivated: boolean;
}

/** The service-account facts of a People row, or null when the row is a person. */
export function serviceAccountFacts(row: object): ServiceAccountRowFacts | null {
  const fields = row as { type?: string; description?: string; tokenExpiresAt?: string | null; status?: string };
  if (fields.type !== 'service_account') return null;
  return {
    description: fields.description ?? '',
    tokenExpiresAt: fields.tokenExpiresAt ?? null,
    deactivated: fields.status === 'deactivated',
  };
}

/** Whether a row of a list or a picker is a service account. */
export function isServiceAccount(row: object): boolean {
  return (row as { type?: string }).type === 'service_account';
}
