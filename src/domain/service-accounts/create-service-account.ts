import { randomUUID } from 'node:crypto';
import type { CreateServiceAccountBody, CreateServiceAccountResponse } from '../../shared/api/service-accounts.js';
import { insertServiceAccount } from '../../storage/queries/service-accounts.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotCreateServiceAccount } from '../access/policies/service-account-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { parseUsername } from '../people/identity.js';
import { reloadActor } from '../people/load-person.js';
import { describeServiceAccount } from './present-service-account.js';
import { newServiceAccountToken } from './token-expiry.js';

/**
 * `POST /service-accounts` (docs/product/service-accounts.md): a service account and its first token, in one
 * transaction. The name comes from the username namespace (taken → 409 `name_taken`, decided by the unique index, so
 * of two parallel creations exactly one succeeds). Only Owners make an Admin one or a token that never expires. The
 * token is returned once; only its digest is stored.
 */
export async function createServiceAccount(ctx: OperationContext, body: CreateServiceAccountBody): Promise<CreateServiceAccountResponse> {
  const actor = callerSubject(ctx);
  const name = parseUsername(body.name, 'name');
  const now = ctx.now();
  const { token, prefix, expiry, store } = newServiceAccountToken(now, body.expiresInDays);
  const id = randomUUID();
  const actorAfter = await recordDenials(
    ctx,
    { action: 'service_account.created', target: { type: 'service_account', id: null, name } },
    () =>
      ctx.database.transact(async (trx) => {
        const fresh = await reloadActor(trx, actor);
        assertAllowed(whyCannotCreateServiceAccount(fresh, body.role, expiry.days));
        const inserted = await insertServiceAccount(trx, {
          id,
          username: name,
          email: '',
          email_canonical: '',
          role: body.role,
          status: 'active',
          must_change_password: 0,
          created_at: now.toISOString(),
          last_seen_at: null,
          removed_at: null,
          last_failed_login_at: null,
          locked_until: null,
          description: body.description?.trim() ?? '',
          created_by: fresh.userId,
          deactivated_at: null,
        });
        if (!inserted) throw new DomainError('name_taken', `The name "${name}" is taken by a person or another service account.`);
        await store(trx, id);
        await recordAuditEvent(ctx, trx, {
          action: 'service_account.created',
          target: { type: 'service_account', id, name },
          details: { role: body.role, description: body.description?.trim() ?? '', tokenPrefix: prefix, expiresAt: expiry.expiresAt },
        });
        return fresh;
      }),
  );
  return { serviceAccount: await describeServiceAccount(ctx.database.db, actorAfter, id), token };
}
