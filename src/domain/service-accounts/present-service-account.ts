import type { ServiceAccount, ServiceAccountDetail, ServiceAccountStatus } from '../../shared/api/service-accounts.js';
import { type ServiceAccountRole, serviceAccountRoleIds } from '../../shared/permissions.js';
import type { Executor } from '../../storage/database.js';
import { projectsOwnedBy } from '../../storage/queries/projects.js';
import type { ServiceAccountRow } from '../../storage/queries/service-accounts.js';
import { type AccessSubject, effectiveRoleName } from '../access/authorize.js';
import { serviceAccountAbilities } from '../access/policies/service-account-policy.js';
import { loadServiceAccount } from './load-service-account.js';

/** `deactivated` is a state of an active row (migration 0009), shown as its own status. */
export function serviceAccountStatus(row: Pick<ServiceAccountRow, 'status' | 'deactivated_at'>): ServiceAccountStatus {
  if (row.status === 'removed') return 'removed';
  return row.deactivated_at === null ? 'active' : 'deactivated';
}

/** The public shape of a service account: never its token's digest, only the metadata. */
export function presentServiceAccount(row: ServiceAccountRow, subject: AccessSubject, actor: AccessSubject): ServiceAccount {
  const status = serviceAccountStatus(row);
  return {
    id: row.id,
    type: 'service_account',
    name: row.username,
    description: row.description,
    role: row.role as ServiceAccountRole,
    effectiveRole: effectiveRoleName(subject),
    status,
    createdBy: row.created_by && row.created_by_name ? { id: row.created_by, name: row.created_by_name } : null,
    createdAt: row.created_at,
    token:
      row.token_prefix !== null && row.token_created_at !== null
        ? {
            prefix: row.token_prefix,
            createdAt: row.token_created_at,
            expiresAt: row.token_expires_at,
            lastUsedAt: row.token_last_used_at,
            lastUsedIp: row.token_last_used_ip,
          }
        : null,
    groups: subject.groups.map((group) => ({ id: group.id, name: group.name })),
    abilities: serviceAccountAbilities(
      actor,
      subject,
      { removed: status === 'removed', deactivated: status === 'deactivated' },
      serviceAccountRoleIds,
    ),
  };
}

/** The service account as `actor` sees it, with the projects it owns (R4): the answer to a read or a change. */
export async function describeServiceAccount(db: Executor, actor: AccessSubject, id: string): Promise<ServiceAccountDetail> {
  const account = await loadServiceAccount(db, id);
  const ownedProjects = await projectsOwnedBy(db, id);
  return { ...presentServiceAccount(account.row, account.subject, actor), ownedProjects };
}
