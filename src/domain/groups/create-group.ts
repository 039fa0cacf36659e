import { randomUUID } from 'node:crypto';
import type { CreateGroupBody, GroupView } from '../../shared/api/groups.js';
import { insertGroup } from '../../storage/queries/groups.js';
import { assertAllowed, recordDenials } from '../access/policies/enforce.js';
import { whyCannotGiveGroupRole, whyCannotManageGroups } from '../access/policies/group-policy.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { callerSubject, type OperationContext } from '../context.js';
import { DomainError } from '../errors.js';
import { reloadActor } from '../people/load-person.js';
import { parseGroupName, presentGroup } from './group-records.js';

/** Creates an empty group, optionally with an instance role for its future members (R3: only roles you hold). */
export async function createGroup(ctx: OperationContext, body: CreateGroupBody): Promise<GroupView> {
  const actor = callerSubject(ctx);
  const { name, canonical } = parseGroupName(body.name);
  const role = body.role ?? null;
  return recordDenials(ctx, { action: 'group.created', target: { type: 'group', id: null, name } }, async () => {
    try {
      return await ctx.database.transact(async (trx) => {
        const fresh = await reloadActor(trx, actor);
        assertAllowed(whyCannotManageGroups(fresh) ?? whyCannotGiveGroupRole(fresh, role));
        const row = {
          id: randomUUID(),
          name,
          name_canonical: canonical,
          description: body.description?.trim() ?? '',
          role,
          created_at: ctx.now().toISOString(),
        };
        await insertGroup(trx, row);
        await recordAuditEvent(ctx, trx, {
          action: 'group.created',
          target: { type: 'group', id: row.id, name },
          details: { role, description: row.description },
        });
        return presentGroup(row, 0);
      });
    } catch (error) {
      if (ctx.database.isUniqueViolation(error)) throw new DomainError('name_taken', `A group called "${name}" already exists.`);
      throw error;
    }
  });
}
