import type { Executor } from '../../storage/database.js';
import { addGroupMember, removeGroupMember } from '../../storage/queries/group-members.js';
import { deleteOidcPayloadsOfGroupLeavers } from '../../storage/queries/oidc-payloads.js';
import { loadAccessSubject } from '../access/load-access-subject.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { OperationContext } from '../context.js';
import { findGroup } from '../groups/group-records.js';
import type { IdentityProviderLoginConfig } from '../identity-providers/load-identity-provider.js';

/**
 * Group sync at each login (SPEC §12.2, docs/sso.md#groups): the groups a provider maps onto are the provider's. When
 * its groups claim is present, the person joins every mapped group whose value is in it and leaves every mapped group
 * whose values are all absent; other groups are not touched. When the claim is absent, nothing changes (a provider
 * that stopped sending it must not empty the groups). Each change is a `group.member_added` or `group.member_removed`
 * event by `system` with `via: "sso"`, in the login's transaction; leaving revokes what Roster's provider issued through
 * that group, as a manual removal does.
 *
 * No policy check here: the mapping itself was the decision, and only an Owner may map onto a group that carries an
 * instance role or project access (whyCannotMapGroups).
 */
export async function syncProviderGroups(
  ctx: OperationContext,
  trx: Executor,
  provider: IdentityProviderLoginConfig,
  person: { id: string; username: string },
  groupValues: readonly string[] | null,
): Promise<{ added: number; removed: number }> {
  if (groupValues === null || provider.groupMappings.length === 0) return { added: 0, removed: 0 };
  const present = new Set(groupValues);
  const managed = new Set(provider.groupMappings.map((m) => m.groupId));
  const wanted = new Set(provider.groupMappings.filter((m) => present.has(m.value)).map((m) => m.groupId));
  const subject = await loadAccessSubject(trx, person.id);
  const current = new Set(subject?.groups.map((g) => g.id) ?? []);
  const systemCtx: OperationContext = { ...ctx, caller: { kind: 'system' } };
  const via = { via: 'sso', identityProvider: { id: provider.id, label: provider.label } };
  const at = ctx.now().toISOString();
  let added = 0;
  let removed = 0;
  for (const groupId of [...managed].sort()) {
    const member = current.has(groupId);
    if (member === wanted.has(groupId)) continue;
    const group = await findGroup(trx, groupId);
    const target = { type: 'group' as const, id: group.id, name: group.name };
    if (!member) {
      await addGroupMember(trx, group.id, person.id, at);
      await recordAuditEvent(systemCtx, trx, {
        action: 'group.member_added',
        target,
        details: { userId: person.id, username: person.username, groupRole: group.role, ...via },
      });
      added++;
    } else {
      const oidcRevoked = await deleteOidcPayloadsOfGroupLeavers(trx, group.id, { userId: person.id });
      await removeGroupMember(trx, group.id, person.id);
      await recordAuditEvent(systemCtx, trx, {
        action: 'group.member_removed',
        target,
        details: { userId: person.id, username: person.username, groupRole: group.role, oidcRevoked, ...via },
      });
      removed++;
    }
  }
  return { added, removed };
}
