import type { ProjectRef } from '../../../src/shared/api/people';
import { apiRequest } from './client';

// PROVISIONAL: the shape of docs/product/api.md §service accounts until sa-core's schemas land in src/shared/api.

export type ServiceAccountRole = 'admin' | 'member';
export type TokenLifetime = 30 | 90 | 365 | null;

export interface ServiceAccountAbilities {
  edit: boolean;
  allowedRoles: ServiceAccountRole[];
  regenerateToken: boolean;
  neverExpiringToken: boolean;
  deactivate: boolean;
  reactivate: boolean;
  remove: boolean;
  reason: string | null;
}

export interface ServiceAccount {
  id: string;
  type: 'service_account';
  name: string;
  description: string;
  role: ServiceAccountRole;
  status: 'active' | 'deactivated' | 'removed';
  createdAt: string;
  createdBy: { id: string; name: string } | null;
  token: { prefix: string; createdAt: string; expiresAt: string | null; lastUsedAt: string | null; lastUsedIp: string | null } | null;
  abilities: ServiceAccountAbilities;
}

export interface ServiceAccountDetail extends ServiceAccount {
  ownedProjects: ProjectRef[];
}

export interface CreateServiceAccountBody {
  name: string;
  description?: string;
  role: ServiceAccountRole;
  expiresInDays?: TokenLifetime;
}

export interface UpdateServiceAccountBody {
  description?: string;
  role?: ServiceAccountRole;
}

const path = (id: string) => `/service-accounts/${encodeURIComponent(id)}`;

export function getServiceAccount(id: string, signal?: AbortSignal): Promise<ServiceAccountDetail> {
  return apiRequest(path(id), { signal });
}

/** Creates a service account; its token is in the answer, once (docs/product/console.md#service-accounts). */
export function createServiceAccount(body: CreateServiceAccountBody): Promise<{ serviceAccount: ServiceAccount; token: string }> {
  return apiRequest('/service-accounts', { method: 'POST', body });
}

export function updateServiceAccount(id: string, body: UpdateServiceAccountBody): Promise<ServiceAccountDetail> {
  return apiRequest(path(id), { method: 'PATCH', body });
}

/** A new token replaces the old one at once; it is in the answer, once. */
export function regenerateServiceAccountToken(
  id: string,
  expiresInDays: TokenLifetime,
): Promise<{ token: string; expiresAt: string | null }> {
  return apiRequest(`${path(id)}/token`, { method: 'POST', body: { expiresInDays } });
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
