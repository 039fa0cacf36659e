import type { ServiceAccountDetail } from '../../shared/api/service-accounts.js';
import { canViewServiceAccounts } from '../access/policies/service-account-policy.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { describeServiceAccount } from './present-service-account.js';

/** `GET /service-accounts/:id` (docs/product/service-accounts.md): one service account, any status. */
export async function getServiceAccount(ctx: OperationContext, id: string): Promise<ServiceAccountDetail> {
  const actor = callerSubject(ctx);
  if (!canViewServiceAccounts(actor)) {
    throw new DomainError('forbidden', 'You need the organization.service_accounts.view permission to see service accounts.');
  }
  return describeServiceAccount(ctx.database.db, actor, id);
}
