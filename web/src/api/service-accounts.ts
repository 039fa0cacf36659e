import type {
  CreateServiceAccountBody,
  CreateServiceAccountResponse,
  ExpiresInDays,
  RegenerateTokenResponse,
  ServiceAccountDetail,
  UpdateServiceAccountBody,
} from '../../../src/shared/api/service-accounts';
import { api, completed, dataOf } from './client';

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

export function getServiceAccount(id: string, signal?: AbortSignal): Promise<ServiceAccountDetail> {
  return dataOf(api.GET('/service-accounts/{id}', { params: { path: { id } }, signal }));
}

/** Creates a service account; its token is in the answer, once (docs/product/console.md#service-accounts). */
export function createServiceAccount(body: CreateServiceAccountBody): Promise<CreateServiceAccountResponse> {
  return dataOf(api.POST('/service-accounts', { body }));
}

export function updateServiceAccount(id: string, body: UpdateServiceAccountBody): Promise<ServiceAccountDetail> {
  return dataOf(api.PATCH('/service-accounts/{id}', { params: { path: { id } }, body }));
}

/** A new token replaces the old one at once; it is in the answer, once. */
export function regenerateServiceAccountToken(id: string, expiresInDays: ExpiresInDays): Promise<RegenerateTokenResponse> {
  return dataOf(api.POST('/service-accounts/{id}/token', { params: { path: { id } }, body: { expiresInDays } }));
}

export function deactivateServiceAccount(id: string): Promise<ServiceAccountDetail> {
  return dataOf(api.POST('/service-accounts/{id}/deactivate', { params: { path: { id } } }));
}

export function reactivateServiceAccount(id: string): Promise<ServiceAccountDetail> {
  return dataOf(api.POST('/service-accounts/{id}/reactivate', { params: { path: { id } } }));
}

/** Deletes it; a 409 `user_owns_projects` carries `projects` to transfer first (R4). */
export function deleteServiceAccount(id: string): Promise<void> {
  return completed(api.DELETE('/service-accounts/{id}', { params: { path: { id } } }));
}
