import type {
  CreateServiceAccountBody,
  CreateServiceAccountResponse,
  ExpiresInDays,
  RegenerateTokenBody,
  RegenerateTokenResponse,
  ServiceAccountDetail,
  UpdateServiceAccountBody,
} from '../../../src/shared/api/service-accounts';
import { apiRequest } from './client';

export type {
  CreateServiceAccountBody,
  ExpiresInDays,
  ServiceAccount,
  ServiceAccountDetail,
  UpdateServiceAccountBody,
} from '../../../src/shared/api/service-accounts';

/** What the caller may do to one service account, decided by the server. */
export type ServiceAccountAbilities = ServiceAccountDetail['abilities'];
export { defaultTokenExpiryDays, tokenExpiryChoices } from '../../../src/shared/api/service-accounts';
export type { ServiceAccountRole } from '../../../src/shared/permissions';

const path = (id: string) => `/service-accounts/${encodeURIComponent(id)}`;

export function getServiceAccount(id: string, signal?: AbortSignal): Promise<ServiceAccountDetail> {
  return apiRequest(path(id), { signal });
}

/** Creates a service account; its token is in the answer, once (docs/product/console.md#service-accounts). */
export function createServiceAccount(body: CreateServiceAccountBody): Promise<CreateServiceAccountResponse> {
  return apiRequest('/service-accounts', { method: 'POST', body });
}

export function updateServiceAccount(id: string, body: UpdateServiceAccountBody): Promise<ServiceAccountDetail> {
  return apiRequest(path(id), { method: 'PATCH', body });
}

/** A new token replaces the old one at once; it is in the answer, once. */
export function regenerateServiceAccountToken(id: string, expiresInDays: ExpiresInDays): Promise<RegenerateTokenResponse> {
  return apiRequest(`${path(id)}/token`, { method: 'POST', body: { expiresInDays } satisfies RegenerateTokenBody });
}

export function deactivateServiceAccount(id: string): Promise<ServiceAccountDetail> {
  return apiRequest(`${path(id)}/deactivate`, { method: 'POST' });
}

export function reactivateServiceAccount(id: string): Promise<ServiceAccountDetail> {
  return apiRequest(`${path(id)}/reactivate`, { method: 'POST' });
}

/** Deletes it; a 409 `user_owns_projects` carries `projects` to transfer first (R4). */
export function deleteServiceAccount(id: string): Promise<void> {
  return apiRequest(path(id), { method: 'DELETE' });
}
